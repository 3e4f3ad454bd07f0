package org.izfhir.record;

import java.util.Map;
import org.hl7.fhir.r4.model.Resource;

/**
 * The Implementation Guide's profiles (ig/, canonical {@code http://izfhir.org/fhir}) that the
 * server's resources declare in {@code meta.profile}.
 */
public final class Profiles {

    public static final String GUIDE = "http://izfhir.org/fhir/ImplementationGuide/org.izfhir.server";
    private static final String BASE = "http://izfhir.org/fhir/StructureDefinition/";
    public static final String SUBMITTED_IMMUNIZATION = BASE + "submitted-immunization";
    public static final String SUBMISSION_DELIVERY = BASE + "submission-delivery";
    public static final String REGISTRY_OUTCOME = BASE + "registry-outcome";
    public static final String REGISTRY_PROVENANCE = BASE + "registry-provenance";

    private static final Map<String, String> RECORD = Map.of(
            "Patient", BASE + "consolidated-patient",
            "Immunization", BASE + "consolidated-immunization",
            "ImmunizationRecommendation", BASE + "consolidated-immunization-recommendation",
            "ImmunizationEvaluation", BASE + "consolidated-immunization-evaluation",
            "Provenance", REGISTRY_PROVENANCE);

    private Profiles() {
    }

    /** Declares the profile of a consolidated record's resource, once. */
    public static void declare(Resource resource) {
        String profile = RECORD.get(resource.fhirType());
        if (profile != null) {
            declare(resource, profile);
        }
    }

    public static <T extends Resource> T declare(T resource, String profile) {
        if (!resource.getMeta().hasProfile(profile)) {
            resource.getMeta().addProfile(profile);
        }
        return resource;
    }
}
