package org.izfhir.hl7.query;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The demographics a query (QPD-3..11) carries to find one person in a registry. Empty strings
 * and {@code null} optional values are simply not sent.
 *
 * @param identifiers      QPD-3: identifiers with their assigning authority and type (MR, SR, MA...)
 * @param family           QPD-4.1, legal family name (required)
 * @param given            QPD-4.2 (required)
 * @param middle           QPD-4.3
 * @param suffix           QPD-4.4
 * @param mothersMaidenFamily QPD-5.1
 * @param mothersMaidenGiven  QPD-5.2
 * @param birthDate        QPD-6 (required)
 * @param sex              QPD-7: F, M or U; {@code null} when unknown
 * @param address          QPD-8, or {@code null}
 * @param phone            QPD-9 home phone as digits (10 digits: area code and number), or empty
 * @param multipleBirth    QPD-10: Y/N, or {@code null} when unknown
 * @param birthOrder       QPD-11, or {@code null}
 */
public record PersonQuery(List<Identifier> identifiers, String family, String given, String middle, String suffix,
                          String mothersMaidenFamily, String mothersMaidenGiven, LocalDate birthDate, String sex,
                          Address address, String phone, Boolean multipleBirth, Integer birthOrder) {

    /** A CX identifier: value, assigning authority (HD namespace id), identifier type (table 0203). */
    public record Identifier(String value, String authority, String type) {
        public Identifier {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(type, "type");
        }
    }

    /** An XAD address. */
    public record Address(String street, String otherLine, String city, String state, String postalCode, String country) {
    }

    public PersonQuery {
        identifiers = List.copyOf(identifiers);
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(birthDate, "birthDate");
        middle = middle == null ? "" : middle;
        suffix = suffix == null ? "" : suffix;
        mothersMaidenFamily = mothersMaidenFamily == null ? "" : mothersMaidenFamily;
        mothersMaidenGiven = mothersMaidenGiven == null ? "" : mothersMaidenGiven;
        phone = phone == null ? "" : phone.replaceAll("\\D", "");
        if (sex != null && !sex.matches("[FMU]")) {
            throw new IllegalArgumentException("sex must be F, M or U");
        }
    }

    /** A query by legal name and birth date only: the minimum the guide requires. */
    public static PersonQuery of(String family, String given, LocalDate birthDate) {
        return new PersonQuery(List.of(), family, given, "", "", "", "", birthDate, null, null, "", null, null);
    }
}
