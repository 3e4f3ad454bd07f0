package org.izfhir.hl7.response;

import java.util.Objects;

/**
 * One ERR segment (or the MSA-3 text of a registry that sends no ERR).
 *
 * @param location        ERR-2, e.g. {@code PID-7} (segment, field, component as sent), empty when none
 * @param code            ERR-3.1, HL7 error code from table 0357 (e.g. {@code 101} required field missing)
 * @param codeText        ERR-3.2
 * @param severity        ERR-4
 * @param applicationCode ERR-5.1, application error code from table 0533 (CDC: e.g. {@code 1} illogical date)
 * @param applicationCodeText ERR-5.2
 * @param localCode       ERR-5.4, the registry's own error code (the alternate triplet), empty when none
 * @param localCodeText   ERR-5.5
 * @param text            ERR-8 user message, or ERR-7 diagnostics, or the application code's text
 * @see <a href="https://www.hl7.eu/HL7v2x/v251/std251/ch02.html#Heading196">HL7 v2.5.1 ERR segment</a>
 */
public record Hl7Error(String location, String code, String codeText, Severity severity, String applicationCode,
                       String applicationCodeText, String localCode, String localCodeText, String text) {

    /** ERR-4 (table 0516); AIRA's {@code N} (notice) is information. */
    public enum Severity {
        ERROR, WARNING, INFORMATION;

        static Severity of(String code) {
            return switch (code.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "W" -> WARNING;
                case "I", "N" -> INFORMATION;
                default -> ERROR;
            };
        }
    }

    public Hl7Error {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeText, "codeText");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(applicationCode, "applicationCode");
        Objects.requireNonNull(applicationCodeText, "applicationCodeText");
        Objects.requireNonNull(localCode, "localCode");
        Objects.requireNonNull(localCodeText, "localCodeText");
        Objects.requireNonNull(text, "text");
    }

    /** An error known only by a text (MSA-3 of a registry that sends no ERR). */
    public static Hl7Error ofText(String text) {
        return new Hl7Error("", "", "", Severity.ERROR, "", "", "", "", text);
    }

    /** A line for a person: the text, the code and where. */
    public String describe() {
        StringBuilder out = new StringBuilder(text.isEmpty() ? codeText : text);
        if (!code.isEmpty()) {
            out.append(" (HL7 error ").append(code).append(')');
        }
        if (!location.isEmpty()) {
            out.append(" at ").append(location);
        }
        return out.toString();
    }
}
