package org.izfhir.fhir;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The FHIR API ({@code izfhir.fhir}).
 *
 * @param serverAddress   the public base URL of the FHIR API (e.g. {@code https://iz.example.org/fhir}),
 *                        used in links and as the SMART audience; empty to derive it from each request
 * @param defaultPageSize search results per page when the client gives no {@code _count}
 * @param maxPageSize     the largest {@code _count} honoured
 * @param resourceTypes   the resource types served; the CapabilityStatement lists exactly these, plus
 *                        {@link #STORAGE_TYPES} that the JPA store cannot run without
 */
@ConfigurationProperties("izfhir.fhir")
public record FhirServerProperties(
        @DefaultValue("") String serverAddress,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("200") int maxPageSize,
        @DefaultValue({"Patient", "Immunization", "ImmunizationRecommendation", "ImmunizationEvaluation",
                "Provenance", "OperationOutcome", "AuditEvent", "CodeSystem", "ValueSet", "ConceptMap",
                "Organization", "Practitioner", "Location", "RelatedPerson"})
        List<String> resourceTypes) {

    /** Resource types HAPI's JPA store needs for its own work (custom search parameters, $merge). */
    public static final Set<String> STORAGE_TYPES = Set.of("SearchParameter", "Task");

    /** Resource types served from consolidated records, not from the JPA store (HAPI still needs their DAOs). */
    public static final List<String> RECORD_TYPES = List.of("Patient", "Immunization", "ImmunizationRecommendation",
            "ImmunizationEvaluation", "Provenance");

    public FhirServerProperties {
        if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
            throw new IllegalArgumentException("izfhir.fhir: need 1 <= default-page-size <= max-page-size, got "
                    + defaultPageSize + " and " + maxPageSize);
        }
        resourceTypes = java.util.stream.Stream.concat(resourceTypes.stream(), STORAGE_TYPES.stream())
                .distinct().sorted().toList();
    }
}
