package org.izfhir.codes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the CDC code set files are read from at start-up ({@code izfhir.codes.location}).
 *
 * @param location a Spring resource location of the folder holding the files, e.g.
 *                 {@code classpath:codes/} (the snapshot shipped) or {@code file:/etc/izfhir/codes/}
 *                 (a newer CDC release dropped in by an operator)
 */
@ConfigurationProperties("izfhir.codes")
public record CodesProperties(@DefaultValue("classpath:codes/") String location) {

    public CodesProperties {
        if (!location.endsWith("/")) {
            location = location + "/";
        }
    }
}
