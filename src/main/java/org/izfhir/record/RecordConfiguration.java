package org.izfhir.record;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import java.nio.file.Path;
import org.izfhir.codes.Codes;
import org.izfhir.forecast.CdsiEngine;
import org.izfhir.forecast.SupportingDataReader;
import org.springframework.beans.factory.annotation.Value;
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

    /** CDC's CDSi supporting data: the release on the classpath, or the folder {@code izfhir.forecast.supporting-data}. */
    @Bean
    CdsiEngine cdsiEngine(@Value("${izfhir.forecast.supporting-data:}") String folder) {
        return new CdsiEngine(folder.isBlank() ? SupportingDataReader.fromClasspath()
                : SupportingDataReader.fromDirectory(Path.of(folder)));
    }

    @Bean
    ForecastResources forecastResources(CdsiEngine engine, Codes codes) {
        return new ForecastResources(engine, codes);
    }

    @Bean
    Consolidator consolidator(Codes codes, ForecastResources forecasts) {
        return new Consolidator(codes, forecasts);
    }

    @Bean
    RecordStore recordStore(DataSource dataSource, FhirContext fhir, Consolidator consolidator, MeterRegistry meters) {
        RecordStore store = new RecordStore(dataSource, fhir, consolidator, properties.cacheSize(), properties.maxAge());
        store.createSchema();
        // the rows under retention; counted at most once a minute, however often metrics are scraped
        com.github.benmanes.caffeine.cache.LoadingCache<String, Long> rows = com.github.benmanes.caffeine.cache.Caffeine
                .newBuilder().expireAfterWrite(Duration.ofMinutes(1)).build(key -> store.count());
        io.micrometer.core.instrument.Gauge.builder("izfhir.record.stored", rows, cache -> cache.get("rows"))
                .description("stored consolidated records (rows under retention)").strongReference(true).register(meters);
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
