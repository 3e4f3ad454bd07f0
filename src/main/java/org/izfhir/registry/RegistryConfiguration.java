package org.izfhir.registry;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The registries of the registries file, each with its client, and their health. */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RegistryConfiguration.class);

    @Bean(destroyMethod = "close")
    RegistryClientFactory registryClientFactory(RegistryProperties properties, MeterRegistry meters,
                                                ObjectProvider<EndpointResolver> endpoints) {
        return new RegistryClientFactory(properties, meters, endpoints.getIfAvailable(() -> EndpointResolver.AS_CONFIGURED));
    }

    @Bean
    Registries registries(@Value("${izfhir.registries-file}") Path file, Environment environment,
                          RegistryClientFactory factory) {
        List<RegistryConfig> configs = RegistriesFile.load(file, environment);
        if (configs.isEmpty()) {
            log.warn("No registry in {}: searches will find no one. Add registries there, or run the demo profile.", file);
        } else {
            log.info("{} registries from {}: {}", configs.size(), file, configs.stream()
                    .map(c -> c.id() + " (" + c.transport().configName() + ", " + c.queryProfile() + ")")
                    .collect(Collectors.joining(", ")));
        }
        return new Registries(configs.stream().map(factory::create).toList());
    }

    @Bean
    RegistryHealth registriesHealthContributor(Registries registries, RegistryProperties properties) {
        return new RegistryHealth(registries, properties.healthCheckInterval());
    }
}
