package org.izfhir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The IZ FHIR Server: one consolidated immunization record from every registry, served as FHIR R4. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IzFhirApplication {

    /** Sets the JDK's shared pool to one worker per processor, unless configured otherwise. */
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // With fewer than 2 workers in the common pool (the JDK's default on 2 processors), every
        // CompletableFuture continuation without an executor starts a thread of its own; the JDK's
        // HttpClient hands each registry answer to one. A pool of at least 2 keeps them on pooled threads.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
        SpringApplication.run(IzFhirApplication.class, args);
    }
}
