package org.izfhir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The IZ FHIR Server: one consolidated immunization record from every registry, served as FHIR R4. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IzFhirApplication {

    public static void main(String[] args) {
        SpringApplication.run(IzFhirApplication.class, args);
    }
}
