package org.izfhir.hl7.response;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import java.util.Optional;
import java.util.function.Consumer;
import org.izfhir.hl7.CodingSystems;
import org.izfhir.hl7.v2.Segment;

/**
 * Reads HL7 v2 data types (CE/CWE, DTM, XPN, ...) out of a field and turns them into FHIR
 * datatypes. Values that do not parse are left out rather than guessed.
 */
final class V2Types {

    private V2Types() {
    }

    /**
     * A CE/CWE value as a CodeableConcept: the identifier triplet and the alternate triplet, each
     * a coding; the text (CWE-9 or the first display). {@code null} when the field is empty.
     */
    static CodeableConcept concept(Segment segment, String repetition) {
        CodeableConcept concept = new CodeableConcept();
        addCoding(concept, segment.component(repetition, 1), segment.component(repetition, 2),
                segment.component(repetition, 3));
        addCoding(concept, segment.component(repetition, 4), segment.component(repetition, 5),
                segment.component(repetition, 6));
        String text = segment.component(repetition, 9);
        if (!text.isEmpty()) {
            concept.setText(text);
        } else if (!concept.hasCoding()) {
            String display = segment.component(repetition, 2);
            if (display.isEmpty()) {
                return null;
            }
            concept.setText(display);
        }
        return concept;
    }

    /** The first repetition of a CE/CWE field as a CodeableConcept, or {@code null}. */
    static CodeableConcept concept(Segment segment, int field) {
        return concept(segment, first(segment, field));
    }

    static Coding coding(Segment segment, int field) {
        CodeableConcept concept = concept(segment, field);
        return concept == null || !concept.hasCoding() ? null : concept.getCodingFirstRep();
    }

    private static void addCoding(CodeableConcept concept, String code, String display, String system) {
        if (code.isBlank()) {
            return;
        }
        Coding coding = concept.addCoding().setCode(code.trim()).setSystem(CodingSystems.uri(system));
        if (!display.isBlank()) {
            coding.setDisplay(display.trim());
        }
    }

    static String first(Segment segment, int field) {
        var repetitions = segment.rawRepetitions(field);
        return repetitions.isEmpty() ? "" : repetitions.get(0);
    }

    /** A DTM/DT value ({@code YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]}) as a FHIR dateTime, or {@code null}. */
    static DateTimeType dateTime(String value) {
        String v = value.trim();
        if (v.length() < 4 || !Character.isDigit(v.charAt(0))) {
            return null;
        }
        String zone = "";
        int sign = Math.max(v.indexOf('+'), v.indexOf('-'));
        if (sign > 0) {
            zone = v.substring(sign);
            v = v.substring(0, sign);
        }
        int dot = v.indexOf('.');
        String fraction = dot > 0 ? v.substring(dot + 1) : "";
        if (dot > 0) {
            v = v.substring(0, dot);
        }
        if (!CodingSystems.isDigits(v) || v.length() % 2 != 0 || v.length() > 14) {
            return null;
        }
        StringBuilder iso = new StringBuilder(v.substring(0, 4));
        if (v.length() >= 6) {
            iso.append('-').append(v, 4, 6);
        }
        if (v.length() >= 8) {
            iso.append('-').append(v, 6, 8);
        }
        if (v.length() >= 12) {
            iso.append('T').append(v, 8, 10).append(':').append(v, 10, 12)
                    .append(':').append(v.length() >= 14 ? v.substring(12, 14) : "00");
            if (CodingSystems.isDigits(fraction)) {
                iso.append('.').append(fraction);
            }
            iso.append(zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : "Z");
        }
        try {
            return new DateTimeType(iso.toString());
        } catch (RuntimeException e) {
            return null; // e.g. month 13: not a date, left out
        }
    }

    /** A DT/DTM value as a FHIR date (day precision at most), or {@code null}. */
    static DateType date(String value) {
        DateTimeType dateTime = dateTime(value);
        if (dateTime == null) {
            return null;
        }
        String iso = dateTime.getValueAsString();
        try {
            return new DateType(iso.length() > 10 ? iso.substring(0, 10) : iso);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A positive count (NM) of at most three digits, as dose numbers are; empty when it is not one. */
    static Optional<PositiveIntType> positive(String value) {
        String v = value.trim();
        if (v.length() > 3 || !CodingSystems.isDigits(v) || Integer.parseInt(v) < 1) {
            return Optional.empty();
        }
        return Optional.of(new PositiveIntType(Integer.parseInt(v)));
    }

    /** Gives a trimmed text to a setter, unless it is blank. */
    static void setText(String value, Consumer<String> setter) {
        if (!value.isBlank()) {
            setter.accept(value.trim());
        }
    }

    /** OBX 59779-9 (schedule used, e.g. VXC16 ACIP) as the authority reference of an evaluation or forecast. */
    static void authority(Segment obx, Consumer<Reference> setter) {
        CodeableConcept schedule = concept(obx, 5);
        if (schedule == null) {
            return;
        }
        Coding first = schedule.hasCoding() ? schedule.getCodingFirstRep() : null;
        Reference authority = new Reference().setDisplay(first != null && first.hasDisplay() ? first.getDisplay()
                : schedule.getText());
        if (first != null) {
            authority.setIdentifier(new Identifier().setSystem(first.getSystem()).setValue(first.getCode()));
        }
        setter.accept(authority);
    }

    /** Joins the non-empty parts of a name with spaces. */
    static String join(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(part.trim());
            }
        }
        return out.toString();
    }
}
