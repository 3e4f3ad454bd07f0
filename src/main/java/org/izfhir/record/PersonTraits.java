package org.izfhir.record;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.Extensions;
import org.izfhir.hl7.query.PersonQuery;

/**
 * What the matcher compares of a person, normalized once: names, birth date, sex, mother's maiden
 * name, phones, postal codes, identifiers and birth order.
 */
record PersonTraits(Set<String> families, Set<String> givens, LocalDate birthDate, String sex, String mothersMaiden,
                    Set<String> phones, Set<String> postalCodes, Set<String> identifiers, Integer birthOrder) {

    static PersonTraits of(Patient patient) {
        Set<String> families = new LinkedHashSet<>();
        Set<String> givens = new LinkedHashSet<>();
        for (HumanName name : patient.getName()) {
            add(families, Names.normalize(name.getFamily()));
            if (name.hasGiven()) {
                add(givens, Names.normalize(name.getGiven().get(0).getValue()));
            }
        }
        String birth = patient.getBirthDateElement().getValueAsString();
        LocalDate birthDate = birth != null && birth.length() == 10 ? LocalDate.parse(birth) : null;
        String sex = patient.getGender() == AdministrativeGender.MALE ? "M"
                : patient.getGender() == AdministrativeGender.FEMALE ? "F" : "";
        Extension maiden = patient.getExtensionByUrl(Extensions.MOTHERS_MAIDEN_NAME);
        String mothersMaiden = maiden != null && maiden.getValue() instanceof StringType text
                ? Names.normalize(text.getValue()) : "";
        Set<String> phones = new LinkedHashSet<>();
        for (ContactPoint telecom : patient.getTelecom()) {
            if (telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE) {
                add(phones, digits(telecom.getValue()));
            }
        }
        Set<String> postalCodes = new LinkedHashSet<>();
        for (Address address : patient.getAddress()) {
            add(postalCodes, zip5(address.getPostalCode()));
        }
        Set<String> identifiers = new LinkedHashSet<>();
        for (Identifier identifier : patient.getIdentifier()) {
            if (identifier.hasValue()) {
                identifiers.add(identifier.getSystem() + "|" + identifier.getValue());
            }
        }
        Integer birthOrder = patient.getMultipleBirth() instanceof IntegerType order ? order.getValue() : null;
        return new PersonTraits(families, givens, birthDate, sex, mothersMaiden, phones, postalCodes, identifiers,
                birthOrder);
    }

    static PersonTraits of(PersonQuery query) {
        Set<String> families = new LinkedHashSet<>();
        add(families, Names.normalize(query.family()));
        Set<String> givens = new LinkedHashSet<>();
        add(givens, Names.normalize(query.given()));
        Set<String> phones = new LinkedHashSet<>();
        add(phones, digits(query.phone()));
        Set<String> postalCodes = new LinkedHashSet<>();
        if (query.address() != null) {
            add(postalCodes, zip5(query.address().postalCode()));
        }
        return new PersonTraits(families, givens, query.birthDate(), query.sex() == null || query.sex().equals("U")
                ? "" : query.sex(), Names.normalize(query.mothersMaidenFamily()), phones, postalCodes, Set.of(),
                query.birthOrder());
    }

    private static String digits(String text) {
        String digits = text == null ? "" : text.replaceAll("\\D", "");
        return digits.length() > 10 && digits.startsWith("1") ? digits.substring(1) : digits.length() >= 7 ? digits : "";
    }

    private static String zip5(String postalCode) {
        String digits = postalCode == null ? "" : postalCode.replaceAll("\\D", "");
        return digits.length() >= 5 ? digits.substring(0, 5) : "";
    }

    private static void add(Set<String> values, String value) {
        if (!value.isEmpty()) {
            values.add(value);
        }
    }
}
