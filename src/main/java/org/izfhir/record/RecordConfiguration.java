package org.izfhir.record;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.izfhir.codes.Codes;
import org.izfhir.registry.Registries;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.ObjectProvider;
import java.time.Duration;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The consolidated record: fan-out, consolidation, storage, and the retention purge. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class RecordConfiguration implements SchedulingConfigurer {

    private final RecordProperties properties;
    private final ObjectProvider<RecordService> service;

    RecordConfiguration(RecordProperties properties, ObjectProvider<RecordService> service) {
        this.properties = properties;
        this.service = service;
    }

    @Bean
    Consolidator consolidator(Codes codes) {
        return new Consolidator(codes);
    }

    @Bean
    RecordStore recordStore(DataSource dataSource, FhirContext fhir, Consolidator consolidator) {
        RecordStore store = new RecordStore(dataSource, fhir, consolidator, properties.cacheSize(), properties.maxAge());
        store.createSchema();
        return store;
    }

    @Bean
    RecordService recordService(Registries registries, Consolidator consolidator, RecordStore store,
                                MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        return new RecordService(new RegistryFanOut(registries, clock), consolidator, store, properties, clock, meters);
    }

    /** The retention purge, every {@code izfhir.record.purge-interval}, the first one a minute after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(() -> service.getObject().purge(), properties.purgeInterval(),
                Duration.ofMinutes(1)));
    }
}
