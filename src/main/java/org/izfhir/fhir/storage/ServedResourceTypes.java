package org.izfhir.fhir.storage;

import ca.uhn.fhir.jpa.config.GeneratedDaoAndResourceProviderConfigR4;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.izfhir.fhir.FhirServerProperties;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * The resource types the JPA store keeps: those the server serves ({@code izfhir.fhir.resource-types}
 * and the {@link FhirServerProperties#STORAGE_TYPES}). HAPI declares a DAO, with its transactional
 * proxy, and a resource provider for every R4 resource type (146); those of other types are never
 * created, which shortens start-up, and no request can reach them.
 */
final class ServedResourceTypes implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, IResourceSupportedSvc {

    /** {@code daoImmunizationR4}, {@code rpImmunizationR4}: HAPI's factory methods, one pair per type. */
    private static final Pattern PER_TYPE = Pattern.compile("(?:dao|rp)(\\w+)R4");

    private Set<String> served = Set.of();

    @Override
    public void setEnvironment(Environment environment) {
        served = Set.copyOf(Binder.get(environment).bindOrCreate("izfhir.fhir", FhirServerProperties.class)
                .resourceTypes());
    }

    @Override
    public boolean isSupported(String resourceType) {
        return served.contains(resourceType);
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        for (String name : registry.getBeanDefinitionNames()) {
            BeanDefinition definition = registry.getBeanDefinition(name);
            if (definition.getFactoryMethodName() == null || !declaredByHapiPerType(registry, definition)) {
                continue;
            }
            Matcher perType = PER_TYPE.matcher(definition.getFactoryMethodName());
            if (perType.matches() && !served.contains(perType.group(1))) {
                registry.removeBeanDefinition(name);
            }
        }
    }

    private static boolean declaredByHapiPerType(BeanDefinitionRegistry registry, BeanDefinition definition) {
        String factory = definition.getFactoryBeanName();
        return factory != null && registry.containsBeanDefinition(factory)
                && GeneratedDaoAndResourceProviderConfigR4.class.getName()
                        .equals(registry.getBeanDefinition(factory).getBeanClassName());
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        // nothing: the definitions are all this changes
    }
}
