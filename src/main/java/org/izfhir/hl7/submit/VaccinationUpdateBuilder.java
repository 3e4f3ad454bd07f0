package org.izfhir.hl7.submit;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.CodingSystems;
import static org.izfhir.hl7.Extensions.MOTHERS_MAIDEN_NAME;
import static org.izfhir.hl7.Extensions.PROTECTION;
import static org.izfhir.hl7.Extensions.PUBLICITY;
import static org.izfhir.hl7.Extensions.US_CORE_ETHNICITY;
import static org.izfhir.hl7.Extensions.US_CORE_RACE;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.v2.SegmentWriter;

/**
 * Builds VXU^V04 (profile Z22) from a FHIR Immunization and its Patient, with the segments the CDC
 * guide requires: MSH, PID, PD1 (when a protection or publicity indicator is known), NK1 (per
 * contact), ORC, RXA, RXR (when route or site is known), OBX for funding eligibility, funding
 * source and VIS. Stateless and thread-safe.
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, VXU^V04</a>
 */
public final class VaccinationUpdateBuilder {

    private static final DateTimeFormatter MESSAGE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    /**
     * @param controlId   MSH-10, unique per message
     * @param ownAuthority the assigning authority of identifiers without one (our own)
     */
    public String build(Immunization immunization, Patient patient, MessageHeader header, String controlId,
                        ZonedDateTime now, String ownAuthority) {
        return build(immunization, patient, header, controlId, now, ownAuthority,
                immunization.getStatus() == Immunization.ImmunizationStatus.ENTEREDINERROR ? "D" : "A");
    }

    /**
     * @param action RXA-21 (table 0206): {@code A} add, {@code U} update, {@code D} delete
     */
    public String build(Immunization immunization, Patient patient, MessageHeader header, String controlId,
                        ZonedDateTime now, String ownAuthority, String action) {
        List<String> segments = new ArrayList<>();
        segments.add(SegmentWriter.msh()
                .field(3, header.sendingApplication()).field(4, header.sendingFacility())
                .field(5, header.receivingApplication()).field(6, header.receivingFacility())
                .field(7, MESSAGE_TIME.format(now)).field(9, "VXU", "V04", "VXU_V04").field(10, controlId)
                .field(11, header.processingId()).field(12, "2.5.1").field(15, "ER").field(16, "AL")
                .field(21, "Z22", "CDCPHINVS").build());
        segments.add(pid(patient, ownAuthority));
        pd1(patient).ifPresent(segments::add);
        int contactNumber = 1;
        for (Patient.ContactComponent contact : patient.getContact()) {
            segments.add(nk1(contact, contactNumber++));
        }
        segments.add(orc(immunization, ownAuthority));
        segments.add(rxa(immunization, action));
        rxr(immunization).ifPresent(segments::add);
        segments.addAll(observations(immunization));
        return String.join("\r", segments) + "\r";
    }

    private static String pid(Patient patient, String ownAuthority) {
        SegmentWriter pid = new SegmentWriter("PID").field(1, "1");
        List<String> identifiers = new ArrayList<>();
        for (Identifier identifier : patient.getIdentifier()) {
            String authority = identifier.getAssigner().hasDisplay() ? identifier.getAssigner().getDisplay() : ownAuthority;
            String type = identifier.getType().getCodingFirstRep().hasCode() ? identifier.getType().getCodingFirstRep().getCode() : "MR";
            identifiers.add(SegmentWriter.components(identifier.getValue(), "", "", authority, type));
        }
        pid.repetitions(3, identifiers);
        List<String> names = new ArrayList<>();
        for (HumanName name : patient.getName()) {
            names.add(xpn(name, name.getUse() == HumanName.NameUse.MAIDEN ? "M"
                    : name.getUse() == HumanName.NameUse.NICKNAME ? "N" : name.getUse() == HumanName.NameUse.USUAL ? "A" : "L"));
        }
        pid.repetitions(5, names);
        Extension maiden = patient.getExtensionByUrl(MOTHERS_MAIDEN_NAME);
        if (maiden != null && maiden.getValue() != null) {
            pid.field(6, maiden.getValue().primitiveValue(), "", "", "", "", "", "M");
        }
        if (patient.hasBirthDate()) {
            pid.field(7, patient.getBirthDateElement().getValueAsString().replace("-", ""));
        }
        if (patient.hasGender()) {
            pid.field(8, switch (patient.getGender()) {
                case MALE -> "M";
                case FEMALE -> "F";
                default -> "U";
            });
        }
        pid.repetitions(10, categories(patient, US_CORE_RACE));
        pid.repetitions(11, patient.getAddress().stream().map(VaccinationUpdateBuilder::xad).toList());
        pid.repetitions(13, patient.getTelecom().stream().map(VaccinationUpdateBuilder::xtn).toList());
        pid.repetitions(22, categories(patient, US_CORE_ETHNICITY));
        if (patient.hasMultipleBirthIntegerType()) {
            pid.field(24, "Y").field(25, String.valueOf(patient.getMultipleBirthIntegerType().getValue()));
        } else if (patient.hasMultipleBirthBooleanType()) {
            pid.field(24, patient.getMultipleBirthBooleanType().booleanValue() ? "Y" : "N");
        }
        if (patient.hasDeceasedDateTimeType()) {
            pid.field(29, hl7Date(patient.getDeceasedDateTimeType())).field(30, "Y");
        } else if (patient.hasDeceasedBooleanType() && patient.getDeceasedBooleanType().booleanValue()) {
            pid.field(30, "Y");
        }
        return pid.build();
    }

    private static List<String> categories(Patient patient, String url) {
        Extension extension = patient.getExtensionByUrl(url);
        if (extension == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Extension part : extension.getExtension()) {
            if ((part.getUrl().equals("ombCategory") || part.getUrl().equals("detailed")) && part.getValue() instanceof Coding coding) {
                values.add(SegmentWriter.components(coding.getCode(), coding.hasDisplay() ? coding.getDisplay() : "", "CDCREC"));
            }
        }
        return values;
    }

    private static Optional<String> pd1(Patient patient) {
        Extension protection = patient.getExtensionByUrl(PROTECTION);
        Extension publicity = patient.getExtensionByUrl(PUBLICITY);
        if (protection == null && publicity == null) {
            return Optional.empty();
        }
        SegmentWriter pd1 = new SegmentWriter("PD1");
        Extension publicityValue = publicity == null ? null : publicity.getExtensionByUrl("value");
        if (publicityValue != null && publicityValue.getValue() instanceof CodeableConcept concept) {
            pd1.repetitions(11, List.of(cwe(concept)));
        }
        Extension protectionValue = protection == null ? null : protection.getExtensionByUrl("value");
        if (protectionValue != null && protectionValue.getValue() != null) {
            pd1.field(12, "true".equals(protectionValue.getValue().primitiveValue()) ? "Y" : "N");
        }
        return Optional.of(pd1.build());
    }

    private static String nk1(Patient.ContactComponent contact, int number) {
        SegmentWriter nk1 = new SegmentWriter("NK1").field(1, String.valueOf(number));
        if (contact.hasName()) {
            nk1.repetitions(2, List.of(xpn(contact.getName(), "L")));
        }
        if (contact.hasRelationship()) {
            nk1.repetitions(3, List.of(cwe(contact.getRelationshipFirstRep())));
        }
        if (contact.hasAddress()) {
            nk1.repetitions(4, List.of(xad(contact.getAddress())));
        }
        nk1.repetitions(5, contact.getTelecom().stream().map(VaccinationUpdateBuilder::xtn).toList());
        return nk1.build();
    }

    private static String orc(Immunization immunization, String ownAuthority) {
        SegmentWriter orc = new SegmentWriter("ORC").field(1, "RE");
        Identifier filler = immunization.getIdentifier().stream()
                .filter(i -> "FILL".equals(i.getType().getCodingFirstRep().getCode())).findFirst()
                .orElse(immunization.getIdentifierFirstRep());
        if (filler.hasValue()) {
            orc.field(3, filler.getValue(), ownAuthority);
        } else {
            orc.field(3, "9999"); // the guide's value for "no filler order number"
        }
        performer(immunization, "OP").ifPresent(actor -> orc.repetitions(12, List.of(xcn(actor))));
        return orc.build();
    }

    private static String rxa(Immunization immunization, String action) {
        SegmentWriter rxa = new SegmentWriter("RXA").field(1, "0").field(2, "1");
        String when = immunization.hasOccurrenceDateTimeType() ? hl7Date(immunization.getOccurrenceDateTimeType()) : "";
        rxa.field(3, when).field(4, when);
        rxa.repetitions(5, List.of(vaccineCodes(immunization.getVaccineCode())));
        if (immunization.hasDoseQuantity() && immunization.getDoseQuantity().hasValue()) {
            rxa.field(6, immunization.getDoseQuantity().getValue().toPlainString());
            String unit = immunization.getDoseQuantity().hasCode() ? immunization.getDoseQuantity().getCode() : "mL";
            rxa.field(7, unit, immunization.getDoseQuantity().hasUnit() ? immunization.getDoseQuantity().getUnit() : unit, "UCUM");
        } else {
            rxa.field(6, "999");
        }
        rxa.repetitions(9, List.of(origin(immunization)));
        performer(immunization, "AP").ifPresent(actor -> rxa.repetitions(10, List.of(xcn(actor))));
        if (immunization.hasLocation() && immunization.getLocation().hasDisplay()) {
            rxa.rawComponents(11, "", "", "", SegmentWriter.subcomponents(
                    immunization.getLocation().hasIdentifier() ? immunization.getLocation().getIdentifier().getValue()
                            : immunization.getLocation().getDisplay()));
        }
        if (immunization.hasLotNumber()) {
            rxa.field(15, immunization.getLotNumber());
        }
        if (immunization.hasExpirationDate()) {
            rxa.field(16, immunization.getExpirationDateElement().getValueAsString().replace("-", ""));
        }
        Reference manufacturer = immunization.getManufacturer();
        if (manufacturer.hasIdentifier() && manufacturer.getIdentifier().hasValue()) {
            rxa.field(17, manufacturer.getIdentifier().getValue(), manufacturer.hasDisplay() ? manufacturer.getDisplay() : "", "MVX");
        }
        if (immunization.getStatus() == Immunization.ImmunizationStatus.NOTDONE && immunization.hasStatusReason()) {
            rxa.repetitions(18, List.of(cwe(immunization.getStatusReason())));
        }
        rxa.field(20, switch (immunization.getStatus()) {
            case NOTDONE -> "RE";
            default -> immunization.getIsSubpotent() ? "PA" : "CP";
        });
        rxa.field(21, action);
        return rxa.build();
    }

    /** RXA-9: the record's own NIP001 code when it has one, else 00 (administered) or 01 (historical). */
    private static String origin(Immunization immunization) {
        Optional<Coding> nip001 = immunization.getReportOrigin().getCoding().stream()
                .filter(c -> "NIP001".equals(CodingSystems.v2Name(c.getSystem()))).findFirst();
        if (nip001.isPresent()) {
            return SegmentWriter.components(nip001.get().getCode(), display(nip001.get()), "NIP001");
        }
        boolean administered = !immunization.hasPrimarySource() || immunization.getPrimarySource();
        return SegmentWriter.components(administered ? "00" : "01",
                administered ? "New immunization record" : "Historical information - source unspecified", "NIP001");
    }

    private static Optional<String> rxr(Immunization immunization) {
        if (!immunization.hasRoute() && !immunization.hasSite()) {
            return Optional.empty();
        }
        SegmentWriter rxr = new SegmentWriter("RXR");
        if (immunization.hasRoute()) {
            rxr.repetitions(1, List.of(cwe(immunization.getRoute())));
        }
        if (immunization.hasSite()) {
            rxr.repetitions(2, List.of(cwe(immunization.getSite())));
        }
        return Optional.of(rxr.build());
    }

    private static List<String> observations(Immunization immunization) {
        List<String> obx = new ArrayList<>();
        int subId = 1;
        for (CodeableConcept eligibility : immunization.getProgramEligibility()) {
            obx.add(obx(obx.size() + 1, "CE", "64994-7", "Vaccine funding program eligibility category", subId++, cwe(eligibility)));
        }
        if (immunization.hasFundingSource()) {
            obx.add(obx(obx.size() + 1, "CE", "30963-3", "Vaccine funding source", subId++, cwe(immunization.getFundingSource())));
        }
        for (Immunization.ImmunizationEducationComponent vis : immunization.getEducation()) {
            if (vis.hasDocumentType()) {
                obx.add(obx(obx.size() + 1, "CE", "69764-9", "Document type", subId,
                        SegmentWriter.components(vis.getDocumentType(), "", "cdcgs1vis")));
            }
            if (vis.hasPublicationDate()) {
                obx.add(obx(obx.size() + 1, "DT", "29768-9", "Date Vaccine Information Statement Published", subId,
                        SegmentWriter.components(hl7Day(vis.getPublicationDateElement()))));
            }
            if (vis.hasPresentationDate()) {
                obx.add(obx(obx.size() + 1, "DT", "29769-7", "Date Vaccine Information Statement Presented", subId,
                        SegmentWriter.components(hl7Day(vis.getPresentationDateElement()))));
            }
            subId++;
        }
        return obx;
    }

    private static String obx(int setId, String type, String loinc, String name, int subId, String value) {
        SegmentWriter obx = new SegmentWriter("OBX").field(1, String.valueOf(setId)).field(2, type)
                .field(3, loinc, name, "LN").field(4, String.valueOf(subId)).repetitions(5, List.of(value)).field(11, "F");
        if (loinc.equals("64994-7")) {
            obx.field(17, "VXC40", "Eligibility captured at the immunization level", "CDCPHINVS");
        }
        return obx.build();
    }

    /** CVX first (the guide's primary code), NDC as the alternate triplet when both are known. */
    private static String vaccineCodes(CodeableConcept vaccine) {
        Coding cvx = vaccine.getCoding().stream().filter(c -> CodingSystems.CVX.equals(c.getSystem())).findFirst().orElse(null);
        Coding ndc = vaccine.getCoding().stream().filter(c -> CodingSystems.NDC.equals(c.getSystem())).findFirst().orElse(null);
        Coding primary = cvx != null ? cvx : ndc != null ? ndc : vaccine.getCodingFirstRep();
        Coding alternate = cvx != null ? ndc : null;
        return SegmentWriter.components(primary.getCode() == null ? "" : primary.getCode(), display(primary),
                CodingSystems.v2Name(primary.getSystem()), alternate == null ? "" : alternate.getCode(),
                alternate == null ? "" : display(alternate), alternate == null ? "" : "NDC");
    }

    /** A CWE: the first coding as the identifier triplet, the second as the alternate triplet. */
    private static String cwe(CodeableConcept concept) {
        Coding coding = concept.getCodingFirstRep();
        if (!coding.hasCode()) {
            return SegmentWriter.components("", "", "", "", "", "", "", "", concept.getText() == null ? "" : concept.getText());
        }
        if (concept.getCoding().size() < 2) {
            return SegmentWriter.components(coding.getCode(), display(coding), CodingSystems.v2Name(coding.getSystem()));
        }
        Coding alternate = concept.getCoding().get(1);
        return SegmentWriter.components(coding.getCode(), display(coding), CodingSystems.v2Name(coding.getSystem()),
                alternate.getCode(), display(alternate), CodingSystems.v2Name(alternate.getSystem()));
    }

    private static String display(Coding coding) {
        return coding.hasDisplay() ? coding.getDisplay() : "";
    }

    private static String xpn(HumanName name, String type) {
        List<StringType> given = name.getGiven();
        return SegmentWriter.components(name.hasFamily() ? name.getFamily() : "",
                given.size() > 0 ? given.get(0).getValue() : "", given.size() > 1 ? given.get(1).getValue() : "",
                name.hasSuffix() ? name.getSuffix().get(0).getValue() : "", name.hasPrefix() ? name.getPrefix().get(0).getValue() : "",
                "", type);
    }

    private static String xad(Address address) {
        List<StringType> lines = address.getLine();
        String type = address.getUse() == Address.AddressUse.WORK ? "B" : address.getType() == Address.AddressType.POSTAL ? "M" : "L";
        return SegmentWriter.components(lines.size() > 0 ? lines.get(0).getValue() : "", lines.size() > 1 ? lines.get(1).getValue() : "",
                nz(address.getCity()), nz(address.getState()), nz(address.getPostalCode()), nz(address.getCountry()), type);
    }

    private static String xtn(ContactPoint point) {
        if (point.getSystem() == ContactPoint.ContactPointSystem.EMAIL) {
            return SegmentWriter.components("", "NET", "Internet", point.getValue());
        }
        String digits = point.getValue() == null ? "" : point.getValue().replaceAll("\\D", "");
        String use = point.getUse() == ContactPoint.ContactPointUse.WORK ? "WPN" : "PRN";
        String equipment = point.getUse() == ContactPoint.ContactPointUse.MOBILE ? "CP" : "PH";
        return digits.length() == 10
                ? SegmentWriter.components("", use, equipment, "", "", digits.substring(0, 3), digits.substring(3))
                : SegmentWriter.components("", use, equipment, "", "", "", digits);
    }

    /** An XCN from a performer's display "Given Family [Degree]", as the reading side writes it. */
    private static String xcn(Reference actor) {
        String id = actor.hasIdentifier() ? actor.getIdentifier().getValue() : "";
        String[] words = actor.hasDisplay() ? actor.getDisplay().trim().split("\\s+") : new String[0];
        String given = words.length > 1 ? words[0] : "";
        String family = words.length > 0 ? words[words.length > 1 ? 1 : 0] : "";
        String degree = words.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(words, 2, words.length)) : "";
        String[] components = new String[21];
        java.util.Arrays.fill(components, "");
        components[0] = nz(id);
        components[1] = family;
        components[2] = given;
        components[20] = degree;
        return SegmentWriter.components(components);
    }

    private static Optional<Reference> performer(Immunization immunization, String function) {
        return immunization.getPerformer().stream()
                .filter(p -> function.equals(p.getFunction().getCodingFirstRep().getCode()))
                .map(Immunization.ImmunizationPerformerComponent::getActor).findFirst();
    }

    private static String hl7Date(BaseDateTimeType date) {
        String iso = date.getValueAsString();
        return iso == null ? "" : iso.length() <= 10 ? iso.replace("-", "") : hl7DateTime(date);
    }

    private static String hl7DateTime(BaseDateTimeType date) {
        TimeZone zone = date.getTimeZone() != null ? date.getTimeZone() : TimeZone.getTimeZone("UTC");
        return ZonedDateTime.ofInstant(date.getValue().toInstant(), zone.toZoneId()).format(MESSAGE_TIME);
    }

    private static String hl7Day(BaseDateTimeType date) {
        String iso = date.getValueAsString();
        return iso == null ? "" : iso.substring(0, Math.min(10, iso.length())).replace("-", "");
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
