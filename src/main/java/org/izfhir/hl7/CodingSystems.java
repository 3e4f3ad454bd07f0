package org.izfhir.hl7;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The coding systems of the CDC immunization guide: the v2 name written in CE/CWE-3 and the FHIR
 * URI, both ways. CDC-local tables without a published URI (NIP001, NIP002, cdcgs1vis, ...) get
 * this server's canonical {@code http://izfhir.org/fhir/CodeSystem/v2-NAME}.
 */
public final class CodingSystems {

    public static final String CVX = "http://hl7.org/fhir/sid/cvx";
    public static final String MVX = "http://hl7.org/fhir/sid/mvx";
    public static final String NDC = "http://hl7.org/fhir/sid/ndc";
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String LOCAL_PREFIX = "http://izfhir.org/fhir/CodeSystem/v2-";
    private static final String HL7_TABLE_PREFIX = "http://terminology.hl7.org/CodeSystem/v2-";

    private static final Map<String, String> BY_NAME = Map.ofEntries(
            Map.entry("CVX", CVX), Map.entry("MVX", MVX), Map.entry("NDC", NDC), Map.entry("LN", LOINC),
            Map.entry("SCT", "http://snomed.info/sct"), Map.entry("SNM", "http://snomed.info/sct"),
            Map.entry("UCUM", UCUM), Map.entry("NCIT", "http://ncimeta.nci.nih.gov"),
            Map.entry("CDCREC", "urn:oid:2.16.840.1.113883.6.238"),
            Map.entry("CDCPHINVS", "urn:oid:2.16.840.1.114222.4.5.274"),
            Map.entry("I9CDX", "http://hl7.org/fhir/sid/icd-9-cm"), Map.entry("I10", "http://hl7.org/fhir/sid/icd-10-cm"),
            // user-defined in HL7; its values (01-12) are the CDC guide's, not HL7's suggestions
            Map.entry("HL70215", LOCAL_PREFIX + "0215"));
    private static final Map<String, String> BY_URI = new HashMap<>();

    static {
        BY_NAME.forEach((name, uri) -> BY_URI.putIfAbsent(uri, name));
        BY_URI.put("http://snomed.info/sct", "SCT");
    }

    private CodingSystems() {
    }

    /** The FHIR URI of a v2 coding system name; {@code null} for an empty name. */
    public static String uri(String v2Name) {
        String name = v2Name == null ? "" : v2Name.trim();
        if (name.isEmpty()) {
            return null;
        }
        String known = BY_NAME.get(name.toUpperCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        if (name.regionMatches(true, 0, "HL7", 0, 3) && name.length() == 7
                && isDigits(name.substring(3))) {
            return HL7_TABLE_PREFIX + name.substring(3);
        }
        return LOCAL_PREFIX + name;
    }

    /** Whether a text is one or more ASCII digits. */
    public static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The v2 name of a FHIR system URI; empty when there is none. */
    public static String v2Name(String uri) {
        if (uri == null || uri.isEmpty()) {
            return "";
        }
        String known = BY_URI.get(uri);
        if (known != null) {
            return known;
        }
        if (uri.startsWith(HL7_TABLE_PREFIX)) {
            return "HL7" + uri.substring(HL7_TABLE_PREFIX.length());
        }
        if (uri.startsWith(LOCAL_PREFIX)) {
            return uri.substring(LOCAL_PREFIX.length());
        }
        return "";
    }
}
