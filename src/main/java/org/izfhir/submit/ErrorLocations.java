package org.izfhir.submit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.Segment;

/**
 * Where in the submitted FHIR resources an ERR-2 location of a VXU points: {@code RXA-15} is
 * {@code Immunization.lotNumber}. An OBX is told apart by what it observes (OBX-3), read from the
 * VXU that was sent, since its sequence number alone says nothing.
 */
final class ErrorLocations {

    private static final Pattern LOCATION = Pattern.compile("([A-Z0-9]{3})(?:\\[(\\d+)])?(?:-(\\d+))?.*");

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("PID-3", "Patient.identifier"), Map.entry("PID-5", "Patient.name"),
            Map.entry("PID-6", "Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName')"),
            Map.entry("PID-7", "Patient.birthDate"), Map.entry("PID-8", "Patient.gender"),
            Map.entry("PID-10", "Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race')"),
            Map.entry("PID-11", "Patient.address"), Map.entry("PID-13", "Patient.telecom"),
            Map.entry("PID-14", "Patient.telecom"),
            Map.entry("PID-22", "Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity')"),
            Map.entry("PID-24", "Patient.multipleBirth"), Map.entry("PID-25", "Patient.multipleBirth"),
            Map.entry("PID-29", "Patient.deceased"), Map.entry("PID-30", "Patient.deceased"),
            Map.entry("ORC-3", "Immunization.identifier"), Map.entry("ORC-12", "Immunization.performer"),
            Map.entry("RXA-3", "Immunization.occurrence"), Map.entry("RXA-5", "Immunization.vaccineCode"),
            Map.entry("RXA-6", "Immunization.doseQuantity"), Map.entry("RXA-7", "Immunization.doseQuantity"),
            Map.entry("RXA-9", "Immunization.primarySource"), Map.entry("RXA-10", "Immunization.performer"),
            Map.entry("RXA-11", "Immunization.location"), Map.entry("RXA-15", "Immunization.lotNumber"),
            Map.entry("RXA-16", "Immunization.expirationDate"), Map.entry("RXA-17", "Immunization.manufacturer"),
            Map.entry("RXA-18", "Immunization.statusReason"), Map.entry("RXA-20", "Immunization.status"),
            Map.entry("RXA-21", "Immunization.status"),
            Map.entry("RXR-1", "Immunization.route"), Map.entry("RXR-2", "Immunization.site"));

    private static final Map<String, String> SEGMENTS = Map.of("PID", "Patient", "PD1", "Patient", "NK1",
            "Patient.contact", "ORC", "Immunization", "RXA", "Immunization", "RXR", "Immunization");

    private static final Map<String, String> OBSERVATIONS = Map.of(
            "64994-7", "Immunization.programEligibility",
            "30963-3", "Immunization.fundingSource",
            "69764-9", "Immunization.education", "29768-9", "Immunization.education", "29769-7", "Immunization.education");

    private ErrorLocations() {
    }

    /** The FHIRPath of a location such as {@code RXA-15}, {@code OBX[2]-5} or {@code PID-11.5}; empty when unknown. */
    static Optional<String> expression(String location, Message sent) {
        Matcher m = LOCATION.matcher(location);
        if (!m.matches()) {
            return Optional.empty();
        }
        String segment = m.group(1);
        if (segment.equals("OBX")) {
            int sequence = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            List<Segment> obx = sent.all("OBX");
            return sequence > obx.size() ? Optional.of("Immunization")
                    : Optional.of(OBSERVATIONS.getOrDefault(obx.get(sequence - 1).get(3, 1), "Immunization"));
        }
        String field = m.group(3) == null ? null : FIELDS.get(segment + "-" + m.group(3));
        return Optional.ofNullable(field != null ? field : SEGMENTS.get(segment));
    }
}
