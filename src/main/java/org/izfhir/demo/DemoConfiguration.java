package org.izfhir.demo;

import java.time.Clock;
import org.izfhir.codes.Codes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** The demo registries, in the demo profile only. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

    @Bean
    DemoRegistries demoRegistries(DemoProperties properties, Codes codes) {
        return new DemoRegistries(properties, codes, Clock.systemDefaultZone());
    }
}
