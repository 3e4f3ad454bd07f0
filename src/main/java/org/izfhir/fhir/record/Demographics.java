package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.hl7.Extensions;
import org.izfhir.hl7.query.PersonQuery;

/**
 * The demographics a person is searched by, from FHIR search parameters (also chained, as in
 * {@code Immunization?patient.family=}) or from a Patient ({@code $match}), made into the query
 * every registry is asked. Registries need a legal name and a birth date: without them the
 * client is told exactly what is missing.
 */
public final class Demographics {

    /** The search parameters of a person, in the order they are explained. */
    static final List<String> PARAMETERS = List.of("family", "given", "birthdate", "gender", "phone", "address-state",
            "address-postalcode", "identifier", "mothers-maiden-name");

    private Demographics() {
    }

    /** Whether any of the person's search parameters is given. */
    static boolean present(Map<String, String> values) {
        return PARAMETERS.stream().anyMatch(values::containsKey);
    }

    /** The query for these search parameter values (parameter name to value). */
    static PersonQuery query(Map<String, String> values, String prefix) {
        List<String> missing = new ArrayList<>();
        for (String required : List.of("family", "given", "birthdate")) {
            if (values.getOrDefault(required, "").isBlank()) {
                missing.add(prefix + required);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("To find a person in the registries, give at least " + prefix + "family, "
                    + prefix + "given and " + prefix + "birthdate (YYYY-MM-DD); missing: " + String.join(", ", missing)
                    + ". Add " + prefix + "gender, " + prefix + "phone, " + prefix + "address-postalcode or "
                    + prefix + "mothers-maiden-name to tell apart people with the same name.");
        }
        LocalDate birthDate = birthDate(values.get("birthdate"), prefix);
        String sex = sex(values.get("gender"), prefix);
        List<PersonQuery.Identifier> identifiers = new ArrayList<>();
        String identifier = values.get("identifier");
        if (identifier != null && !identifier.isBlank()) {
            int bar = identifier.indexOf('|');
            String value = bar < 0 ? identifier : identifier.substring(bar + 1);
            identifiers.add(new PersonQuery.Identifier(value.trim(), "", "MR"));
        }
        String state = values.getOrDefault("address-state", "");
        String zip = values.getOrDefault("address-postalcode", "");
        PersonQuery.Address address = state.isBlank() && zip.isBlank() ? null
                : new PersonQuery.Address("", "", "", state.trim(), zip.trim(), "");
        return new PersonQuery(identifiers, values.get("family").trim(), values.get("given").trim(), "", "",
                values.getOrDefault("mothers-maiden-name", "").trim(), "", birthDate, sex, address,
                values.getOrDefault("phone", ""), null, null);
    }

    /** The query for a Patient resource, as {@code $match} receives it. */
    public static PersonQuery query(Patient patient) {
        Map<String, String> values = new LinkedHashMap<>();
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(patient.getNameFirstRep());
        put(values, "family", name.getFamily());
        put(values, "given", name.getGiven().isEmpty() ? null : name.getGiven().get(0).getValue());
        put(values, "birthdate", patient.getBirthDateElement().getValueAsString());
        put(values, "gender", patient.hasGender() ? patient.getGender().toCode() : null);
        patient.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE).findFirst()
                .ifPresent(t -> put(values, "phone", t.getValue()));
        Address address = patient.getAddressFirstRep();
        put(values, "address-state", address.getState());
        put(values, "address-postalcode", address.getPostalCode());
        Extension maiden = patient.getExtensionByUrl(Extensions.MOTHERS_MAIDEN_NAME);
        put(values, "mothers-maiden-name", maiden == null ? null : maiden.getValue().primitiveValue());
        PersonQuery query = query(values, "Patient.");
        if (name.getGiven().size() > 1 || patient.hasMultipleBirth() || patient.hasIdentifier()) {
            List<PersonQuery.Identifier> identifiers = patient.getIdentifier().stream().filter(Identifier::hasValue)
                    .map(i -> new PersonQuery.Identifier(i.getValue(), "", "MR")).toList();
            Boolean multiple = patient.hasMultipleBirthBooleanType() ? patient.getMultipleBirthBooleanType().booleanValue()
                    : patient.hasMultipleBirthIntegerType() ? Boolean.TRUE : null;
            Integer order = patient.hasMultipleBirthIntegerType() ? patient.getMultipleBirthIntegerType().getValue() : null;
            query = new PersonQuery(identifiers, query.family(), query.given(),
                    name.getGiven().size() > 1 ? name.getGiven().get(1).getValue() : "", query.suffix(),
                    query.mothersMaidenFamily(), "", query.birthDate(), query.sex(), query.address(), query.phone(),
                    multiple, order);
        }
        return query;
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (value != null && !value.isBlank()) {
            values.put(name, value);
        }
    }

    private static LocalDate birthDate(String text, String prefix) {
        String value = text.trim();
        if (value.startsWith("eq")) {
            value = value.substring(2);
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(prefix + "birthdate must be a full date, YYYY-MM-DD (optionally with the"
                    + " prefix eq): registries match a person on the exact day of birth");
        }
    }

    private static String sex(String gender, String prefix) {
        if (gender == null || gender.isBlank()) {
            return null;
        }
        String code = gender.contains("|") ? gender.substring(gender.indexOf('|') + 1) : gender;
        return switch (code.trim().toLowerCase(Locale.ROOT)) {
            case "female" -> "F";
            case "male" -> "M";
            case "unknown", "other" -> "U";
            default -> throw new InvalidRequestException(prefix + "gender must be female, male, other or unknown");
        };
    }
}
