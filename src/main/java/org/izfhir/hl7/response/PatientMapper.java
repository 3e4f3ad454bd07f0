package org.izfhir.hl7.response;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.CodingSystems;
import static org.izfhir.hl7.Extensions.MOTHERS_MAIDEN_NAME;
import static org.izfhir.hl7.Extensions.PROTECTION;
import static org.izfhir.hl7.Extensions.PUBLICITY;
import static org.izfhir.hl7.Extensions.REGISTRY_STATUS;
import static org.izfhir.hl7.Extensions.US_CORE_ETHNICITY;
import static org.izfhir.hl7.Extensions.US_CORE_RACE;
import org.izfhir.hl7.v2.Segment;

/**
 * PID, PD1 and NK1 to a FHIR Patient, as the CDC immunization guide defines the fields.
 *
 * <p>Deliberately not mapped: PID-2/PID-4 (withdrawn in 2.5.1), PID-9 (alias, withdrawn),
 * PID-12 (county, kept only as part of the address when sent there), PID-15..21 (language,
 * marital status, religion, account, SSN field and driver's license: not used by the guide for
 * immunization; SSN is carried only when sent as a PID-3 identifier), PD1-1..10 (not used by the
 * guide), NK1 fields other than name, relationship, address and phone (not used by the guide).
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, PID/PD1/NK1</a>
 */
final class PatientMapper {

    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    static final String OMB_RACE_ETHNICITY = "urn:oid:2.16.840.1.113883.6.238";

    /** The five OMB race categories and "other race"; other CDC race codes are detailed codes. */
    private static final Set<String> OMB_RACE = Set.of("1002-5", "2028-9", "2054-5", "2076-8", "2106-3", "2131-1");
    private static final Set<String> OMB_ETHNICITY = Set.of("2135-2", "2186-5");

    private final String registry;

    PatientMapper(String registry) {
        this.registry = registry;
    }

    Patient map(Segment pid, Segment pd1, List<Segment> nk1s) {
        Patient patient = new Patient();
        identifiers(pid, patient);
        names(pid, patient);
        mothersMaidenName(pid, patient);
        var birth = V2Types.date(pid.get(7));
        if (birth != null) {
            patient.setBirthDateElement(birth);
        }
        patient.setGender(gender(pid.get(8)));
        usCoreCategory(pid, 10, US_CORE_RACE, OMB_RACE, patient);
        addresses(pid, 11, patient.getAddress());
        telecoms(pid, 13, patient.getTelecom());
        usCoreCategory(pid, 22, US_CORE_ETHNICITY, OMB_ETHNICITY, patient);
        multipleBirth(pid, patient);
        death(pid, patient);
        if (pd1 != null) {
            registryIndicators(pd1, patient);
        }
        for (Segment nk1 : nk1s) {
            contact(nk1, patient);
        }
        return patient;
    }

    private void identifiers(Segment pid, Patient patient) {
        for (String cx : pid.rawRepetitions(3)) {
            Identifier identifier = identifier(pid, cx);
            if (identifier != null) {
                patient.addIdentifier(identifier);
            }
        }
    }

    /** A CX value: the id, its assigning authority (CX-4) and its type (CX-5, table 0203). */
    Identifier identifier(Segment segment, String cx) {
        String value = segment.component(cx, 1).trim();
        if (value.isEmpty()) {
            return null;
        }
        String namespace = segment.subcomponent(cx, 4, 1).trim();
        String universalId = segment.subcomponent(cx, 4, 2).trim();
        String authority = !namespace.isEmpty() ? namespace : universalId;
        String type = segment.component(cx, 5).trim();
        Identifier identifier = new Identifier().setValue(value);
        if ("SS".equalsIgnoreCase(type)) {
            identifier.setSystem("http://hl7.org/fhir/sid/us-ssn");
        } else {
            identifier.setSystem(IdentifierSystems.of(registry, authority));
        }
        if (!type.isEmpty()) {
            identifier.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode(type);
        }
        if (!authority.isEmpty()) {
            identifier.getAssigner().setDisplay(authority);
            if (!universalId.isEmpty() && "ISO".equalsIgnoreCase(segment.subcomponent(cx, 4, 3).trim())) {
                identifier.getAssigner().getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:oid:" + universalId);
            }
        }
        return identifier;
    }

    private static void names(Segment pid, Patient patient) {
        for (String xpn : pid.rawRepetitions(5)) {
            HumanName name = name(pid, xpn);
            if (name != null) {
                patient.addName(name);
            }
        }
    }

    /** An XPN value; XPN-7 (table 0200) gives the use. */
    static HumanName name(Segment segment, String xpn) {
        String family = segment.subcomponent(xpn, 1, 1).trim();
        String given = segment.component(xpn, 2).trim();
        String middle = segment.component(xpn, 3).trim();
        if (family.isEmpty() && given.isEmpty()) {
            return null;
        }
        HumanName name = new HumanName();
        if (!family.isEmpty()) {
            name.setFamily(family);
        }
        if (!given.isEmpty()) {
            name.addGiven(given);
        }
        if (!middle.isEmpty()) {
            name.addGiven(middle);
        }
        String suffix = segment.component(xpn, 4).trim();
        if (!suffix.isEmpty()) {
            name.addSuffix(suffix);
        }
        String prefix = segment.component(xpn, 5).trim();
        if (!prefix.isEmpty()) {
            name.addPrefix(prefix);
        }
        HumanName.NameUse use = nameUse(segment.component(xpn, 7));
        if (use != null) {
            name.setUse(use);
        }
        return name;
    }

    /** HL7 table 0200 to FHIR name-use, as the HL7 v2-to-FHIR mapping does. */
    private static HumanName.NameUse nameUse(String type) {
        return switch (type.trim().toUpperCase(Locale.ROOT)) {
            case "L" -> HumanName.NameUse.OFFICIAL;
            case "M" -> HumanName.NameUse.MAIDEN;
            case "N" -> HumanName.NameUse.NICKNAME;
            case "A", "D" -> HumanName.NameUse.USUAL;
            case "S" -> HumanName.NameUse.ANONYMOUS;
            case "B", "BAD" -> HumanName.NameUse.OLD;
            case "TEMP" -> HumanName.NameUse.TEMP;
            default -> null;
        };
    }

    private static void mothersMaidenName(Segment pid, Patient patient) {
        String family = pid.get(6, 1, 1).trim();
        if (!family.isEmpty()) {
            patient.addExtension(MOTHERS_MAIDEN_NAME, new StringType(family));
        }
    }

    private static AdministrativeGender gender(String sex) {
        return switch (sex.trim().toUpperCase(Locale.ROOT)) {
            case "M" -> AdministrativeGender.MALE;
            case "F" -> AdministrativeGender.FEMALE;
            case "U" -> AdministrativeGender.UNKNOWN;
            case "" -> null;
            default -> AdministrativeGender.OTHER; // O, A, N, X: other or not applicable
        };
    }

    /** Race (PID-10) or ethnicity (PID-22) as the US Core extension: OMB categories, detailed codes, text. */
    private static void usCoreCategory(Segment pid, int field, String url, Set<String> ombCodes, Patient patient) {
        Extension extension = new Extension(url);
        StringBuilder text = new StringBuilder();
        for (String cwe : pid.rawRepetitions(field)) {
            CodeableConcept concept = V2Types.concept(pid, cwe);
            if (concept == null) {
                continue;
            }
            for (Coding coding : concept.getCoding()) {
                boolean cdcCode = coding.getCode().matches("\\d{4}-\\d");
                if (cdcCode) {
                    coding.setSystem(OMB_RACE_ETHNICITY);
                    extension.addExtension(ombCodes.contains(coding.getCode()) ? "ombCategory" : "detailed", coding);
                }
                String label = coding.hasDisplay() ? coding.getDisplay() : cdcCode ? null : coding.getCode();
                if (label != null) {
                    text.append(text.length() == 0 ? "" : ", ").append(label);
                }
            }
            if (concept.hasText() && !concept.hasCoding()) {
                text.append(text.length() == 0 ? "" : ", ").append(concept.getText());
            }
        }
        if (text.length() == 0 && extension.hasExtension()) {
            text.append(extension.getExtension().get(0).getValue().primitiveValue());
        }
        if (text.length() > 0) {
            extension.addExtension("text", new StringType(text.toString()));
            patient.addExtension(extension);
        }
    }

    static void addresses(Segment segment, int field, List<Address> out) {
        for (String xad : segment.rawRepetitions(field)) {
            Address address = new Address();
            String street = segment.subcomponent(xad, 1, 1).trim();
            if (!street.isEmpty()) {
                address.addLine(street);
            }
            String other = segment.component(xad, 2).trim();
            if (!other.isEmpty()) {
                address.addLine(other);
            }
            setIfPresent(segment.component(xad, 3), address::setCity);
            setIfPresent(segment.component(xad, 4), address::setState);
            setIfPresent(segment.component(xad, 5), address::setPostalCode);
            setIfPresent(segment.component(xad, 6), address::setCountry);
            setIfPresent(segment.component(xad, 9), address::setDistrict);
            addressUse(segment.component(xad, 7), address);
            if (address.hasLine() || address.hasCity() || address.hasState() || address.hasPostalCode()) {
                out.add(address);
            }
        }
    }

    /** XAD-7 (table 0190) to FHIR address use and type. */
    private static void addressUse(String type, Address address) {
        switch (type.trim().toUpperCase(Locale.ROOT)) {
            case "H", "L", "P" -> address.setUse(Address.AddressUse.HOME);
            case "B", "O" -> address.setUse(Address.AddressUse.WORK);
            case "C" -> address.setUse(Address.AddressUse.TEMP);
            case "BA", "BDL" -> address.setUse(Address.AddressUse.OLD);
            case "M" -> address.setType(Address.AddressType.POSTAL);
            case "BR" -> address.setType(Address.AddressType.PHYSICAL);
            default -> { }
        }
    }

    /** XTN: email (XTN-4), or area code and local number (XTN-6/7), or the legacy XTN-1; use from XTN-2. */
    static void telecoms(Segment segment, int field, List<ContactPoint> out) {
        for (String xtn : segment.rawRepetitions(field)) {
            String use = segment.component(xtn, 2).trim().toUpperCase(Locale.ROOT);
            String equipment = segment.component(xtn, 3).trim().toUpperCase(Locale.ROOT);
            String email = segment.component(xtn, 4).trim();
            ContactPoint point = new ContactPoint();
            if ("NET".equals(use) || "INTERNET".equals(equipment) || !email.isEmpty()) {
                if (email.isEmpty()) {
                    continue;
                }
                point.setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(email);
            } else {
                String number = phone(segment.component(xtn, 6), segment.component(xtn, 7), segment.component(xtn, 1));
                if (number.isEmpty()) {
                    continue;
                }
                point.setSystem("FX".equals(equipment) ? ContactPoint.ContactPointSystem.FAX
                        : ContactPoint.ContactPointSystem.PHONE).setValue(number);
                if ("CP".equals(equipment)) {
                    point.setUse(ContactPoint.ContactPointUse.MOBILE);
                }
            }
            if (!point.hasUse()) {
                switch (use) {
                    case "PRN", "ORN", "VHN" -> point.setUse(ContactPoint.ContactPointUse.HOME);
                    case "WPN" -> point.setUse(ContactPoint.ContactPointUse.WORK);
                    case "EMR" -> point.setUse(ContactPoint.ContactPointUse.TEMP);
                    default -> { }
                }
            }
            out.add(point);
        }
    }

    private static String phone(String area, String local, String legacy) {
        String digits = (area + local).replaceAll("\\D", "");
        if (digits.isEmpty()) {
            return legacy.trim();
        }
        if (digits.length() == 10) {
            return digits.substring(0, 3) + "-" + digits.substring(3, 6) + "-" + digits.substring(6);
        }
        return digits.length() == 7 ? digits.substring(0, 3) + "-" + digits.substring(3) : digits;
    }

    private static void multipleBirth(Segment pid, Patient patient) {
        String indicator = pid.get(24).trim().toUpperCase(Locale.ROOT);
        String order = pid.get(25).trim();
        if (CodingSystems.isDigits(order) && order.length() < 3) {
            patient.setMultipleBirth(new IntegerType(Integer.parseInt(order)));
        } else if ("Y".equals(indicator) || "N".equals(indicator)) {
            patient.setMultipleBirth(new BooleanType("Y".equals(indicator)));
        }
    }

    private static void death(Segment pid, Patient patient) {
        DateTimeType date = V2Types.dateTime(pid.get(29));
        if (date != null) {
            patient.setDeceased(date);
        } else if ("Y".equalsIgnoreCase(pid.get(30).trim())) {
            patient.setDeceased(new BooleanType(true));
        }
    }

    /**
     * PD1-11 publicity code (table 0215), PD1-12 protection indicator (Y: the registry must not
     * share the record; marked restricted in {@code meta.security}), PD1-16 registry status (table
     * 0441: active, inactive, moved, deceased...) with its dates PD1-13/17.
     */
    private static void registryIndicators(Segment pd1, Patient patient) {
        CodeableConcept publicity = V2Types.concept(pd1, 11);
        if (publicity != null) {
            indicator(patient, PUBLICITY, publicity, pd1.get(14));
        }
        String protection = pd1.get(12).trim().toUpperCase(Locale.ROOT);
        if (!protection.isEmpty()) {
            indicator(patient, PROTECTION, new BooleanType("Y".equals(protection)), pd1.get(13));
            if ("Y".equals(protection)) {
                patient.getMeta().addSecurity(CONFIDENTIALITY, "R", "restricted");
            }
        }
        String status = pd1.get(16).trim();
        if (!status.isEmpty()) {
            indicator(patient, REGISTRY_STATUS, new Coding("http://terminology.hl7.org/CodeSystem/v2-0441", status, null),
                    pd1.get(17));
        }
    }

    /** A complex extension: {@code value} and, when sent, the {@code effective} date. */
    private static void indicator(Patient patient, String url, org.hl7.fhir.r4.model.Type value, String date) {
        Extension extension = patient.addExtension().setUrl(url);
        extension.addExtension("value", value);
        var effective = V2Types.date(date);
        if (effective != null) {
            extension.addExtension("effective", effective);
        }
    }

    /** NK1: a responsible person (parent, guardian) as a Patient contact. */
    private static void contact(Segment nk1, Patient patient) {
        Patient.ContactComponent contact = new Patient.ContactComponent();
        HumanName name = name(nk1, V2Types.first(nk1, 2));
        if (name != null) {
            contact.setName(name);
        }
        CodeableConcept relationship = V2Types.concept(nk1, 3);
        if (relationship != null) {
            contact.addRelationship(relationship);
        }
        List<Address> addresses = new java.util.ArrayList<>();
        addresses(nk1, 4, addresses);
        if (!addresses.isEmpty()) {
            contact.setAddress(addresses.get(0));
        }
        telecoms(nk1, 5, contact.getTelecom());
        if (!contact.isEmpty()) {
            patient.addContact(contact);
        }
    }

    private static void setIfPresent(String value, java.util.function.Consumer<String> setter) {
        if (!value.isBlank()) {
            setter.accept(value.trim());
        }
    }
}
