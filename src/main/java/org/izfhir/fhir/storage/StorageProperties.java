package org.izfhir.fhir.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the FHIR store lives ({@code izfhir.storage}).
 *
 * @param embeddedPostgres start a private PostgreSQL inside the application (the {@code demo} profile)
 *                         instead of connecting to {@code spring.datasource.url}
 * @param expunge          allow {@code $expunge}, which the retention purge of stored records needs
 */
@ConfigurationProperties("izfhir.storage")
public record StorageProperties(@DefaultValue("false") boolean embeddedPostgres,
                                @DefaultValue("true") boolean expunge) {
}
