package org.izfhir.codes;

import java.io.FileNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** Loads the code sets once, at start-up; a broken file stops the start with a message naming it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CodesProperties.class)
public class CodesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CodesConfiguration.class);

    @Bean
    Codes codes(CodesProperties properties, ResourceLoader resourceLoader) {
        Codes codes = CodeSetLoader.load(fileName -> {
            Resource resource = resourceLoader.getResource(properties.location() + fileName);
            if (!resource.exists()) {
                throw new FileNotFoundException(properties.location() + fileName);
            }
            return resource.getInputStream();
        });
        log.info("Code sets loaded from {}: {} CVX, {} MVX, {} NDC, {} CVX with a vaccine group",
                properties.location(), codes.vaccines().size(), codes.manufacturers().size(),
                codes.ndcProducts().size(), codes.vaccineGroupsByCvx().size());
        return codes;
    }
}
