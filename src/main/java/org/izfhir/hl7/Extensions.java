package org.izfhir.hl7;

/**
 * The FHIR extensions the codec writes when reading v2 and reads when writing v2: one list, so that
 * both directions agree.
 */
public final class Extensions {

    public static final String MOTHERS_MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";
    public static final String US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    public static final String US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";
    /** PD1-11 publicity code (table 0215): complex, {@code value} and {@code effective} (PD1-14). */
    public static final String PUBLICITY = "http://izfhir.org/fhir/StructureDefinition/immunization-publicity";
    /** PD1-12 protection indicator: complex, {@code value} and {@code effective} (PD1-13). */
    public static final String PROTECTION = "http://izfhir.org/fhir/StructureDefinition/immunization-data-protection";
    /** PD1-16 registry status (table 0441): complex, {@code value} and {@code effective} (PD1-17). */
    public static final String REGISTRY_STATUS = "http://izfhir.org/fhir/StructureDefinition/immunization-registry-status";

    private Extensions() {
    }
}
