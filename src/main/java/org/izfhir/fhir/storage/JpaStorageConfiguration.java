package org.izfhir.fhir.storage;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI FHIR JPA storage for FHIR R4 on the application's {@link DataSource}. Hibernate settings
 * (dialect, schema update) come from {@code spring.jpa.properties}.
 */
@Configuration(proxyBeanMethods = false)
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, SubscriptionChannelConfig.class,
        ThreadPoolFactoryConfig.class})
public class JpaStorageConfiguration {

    @Bean
    JpaStorageSettings storageSettings(StorageProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(properties.expunge());
        settings.setAdvancedHSearchIndexing(false);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        // HAPI's table naming each search parameter's hash is for reading its index tables by hand;
        // it is filled at every start, one write per parameter of every resource type (thousands),
        // still running when the server is ready, and an orderly stop soon after interrupted it
        settings.setWriteToSearchParamIdentityTable(false);
        return settings;
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource, JpaProperties jpa,
            ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext, JpaStorageSettings settings) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, settings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaPropertyMap(jpa.getProperties());
        return factory;
    }

    @Bean
    @Primary
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    /** Full-text search (Hibernate Search) is off: HAPI accepts no service. */
    @Bean
    @Primary
    IFulltextSearchSvc fulltextSearchSvc() {
        return null;
    }

    /** Also the resource types HAPI makes DAOs and providers for: those served, and no others. */
    @Bean
    static ServedResourceTypes resourceSupportedSvc() {
        return new ServedResourceTypes();
    }

    @Bean
    static StructureDefinitionPreload structureDefinitionPreload() {
        return new StructureDefinitionPreload();
    }

    @Bean(name = "myResourceCountsCache")
    ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }

    @Bean
    IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }
}
