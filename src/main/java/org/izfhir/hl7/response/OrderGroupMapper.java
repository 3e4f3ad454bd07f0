package org.izfhir.hl7.response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.CodingSystems;
import org.izfhir.hl7.v2.Segment;

/**
 * One order group (ORC, RXA, RXR, OBX...) to FHIR: an Immunization with the ImmunizationEvaluations
 * of a Z42 answer, or, for the forecast carrier ({@code RXA-5 = 998}, {@code RXA-20 = NA}), the
 * recommendation components of an ImmunizationRecommendation.
 *
 * <p>Deliberately not mapped: RXA-1/2 (always 0 and 1), RXA-4 (end time, equal to RXA-3 for
 * vaccines), RXA-8 (dosage form, unused), RXA-12..14 (unused by the guide), RXA-19 (indication,
 * not used by the guide), RXA-22 (system entry time: {@code meta.lastUpdated} is ours), ORC-1
 * (always RE), ORC-10 (entering person, not a performer), reactions (OBX 31044-1): counted, and
 * the caller is told how many were skipped. Patient-level findings (contraindications 30945-0,
 * evidence of immunity 59784-9 and 75505-8) become Observations (code the LOINC, value the
 * finding, effective OBX-14) for the forecast; the server does not serve them as resources.
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, ORC/RXA/RXR/OBX</a>
 */
final class OrderGroupMapper {

    static final String NO_VACCINE_ADMINISTERED = "998";
    static final String ORIGIN_SYSTEM = "http://terminology.hl7.org/CodeSystem/immunization-origin";
    static final String FUNCTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0443";
    static final String DOSE_STATUS_SYSTEM = "http://terminology.hl7.org/CodeSystem/immunization-evaluation-dose-status";
    static final String RECOMMENDATION_STATUS_SYSTEM = "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status";

    private final String registry;

    OrderGroupMapper(String registry) {
        this.registry = registry;
    }

    /** What one order group maps to. */
    record Mapped(Immunization immunization, List<ImmunizationEvaluation> evaluations,
                  List<ImmunizationRecommendationRecommendationComponent> recommendations, List<Observation> findings,
                  int skippedObservations) {
    }

    Mapped map(Segment orc, Segment rxa, List<Segment> rxrs, List<Segment> obxs, Reference patient) {
        OrderGroupObservations observations = OrderGroupObservations.of(obxs);
        boolean forecastCarrier = NO_VACCINE_ADMINISTERED.equals(rxa.get(5).trim())
                || "NA".equalsIgnoreCase(rxa.get(20).trim()) && observations.hasForecast();
        List<ImmunizationRecommendationRecommendationComponent> recommendations = recommendations(observations);
        List<Observation> findings = findings(observations, patient);
        if (forecastCarrier) {
            return new Mapped(null, List.of(), recommendations, findings, observations.skipped);
        }
        Immunization immunization = immunization(orc, rxa, rxrs, observations, patient);
        List<ImmunizationEvaluation> evaluations = evaluations(observations, immunization, patient);
        return new Mapped(immunization, evaluations, recommendations, findings, observations.skipped);
    }

    /** Contraindications and evidence of immunity: one Observation each, coded as the registry sent it. */
    private static List<Observation> findings(OrderGroupObservations observations, Reference patient) {
        List<Observation> findings = new ArrayList<>();
        for (Segment obx : observations.all) {
            String code = OrderGroupObservations.code(obx);
            CodeableConcept value = Loinc.isFinding(code) ? V2Types.concept(obx, 5) : null;
            if (value == null) {
                continue;
            }
            Observation finding = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                    .setCode(new CodeableConcept(new Coding(Loinc.SYSTEM, code, obx.get(3, 2).trim())))
                    .setSubject(patient).setValue(value);
            DateTimeType effective = V2Types.dateTime(obx.get(14));
            if (effective != null) {
                finding.setEffective(effective);
            }
            findings.add(finding);
        }
        return findings;
    }

    private Immunization immunization(Segment orc, Segment rxa, List<Segment> rxrs, OrderGroupObservations obx,
            Reference patient) {
        Immunization immunization = new Immunization();
        immunization.setPatient(patient);
        status(rxa, immunization);
        CodeableConcept vaccine = V2Types.concept(rxa, 5);
        immunization.setVaccineCode(vaccine == null ? new CodeableConcept().setText("unknown vaccine") : vaccine);
        DateTimeType occurrence = V2Types.dateTime(rxa.get(3));
        immunization.setOccurrence(occurrence != null ? occurrence : new StringType(rxa.get(3).isBlank()
                ? "unknown" : rxa.get(3).trim()));
        origin(rxa, immunization);
        dose(rxa, immunization);
        V2Types.setText(rxa.get(15), immunization::setLotNumber);
        DateType expiration = V2Types.date(rxa.get(16));
        if (expiration != null) {
            immunization.setExpirationDateElement(expiration);
        }
        manufacturer(rxa, immunization);
        performers(orc, rxa, immunization);
        location(rxa, immunization);
        route(rxrs, immunization);
        if (orc != null) {
            orderIdentifier(orc, 3, "FILL", immunization);
            orderIdentifier(orc, 2, "PLAC", immunization);
        }
        funding(obx, immunization);
        education(obx, immunization);
        return immunization;
    }

    /** RXA-20 completion status, RXA-18 refusal reason, RXA-21 action code. */
    private static void status(Segment rxa, Immunization immunization) {
        String completion = rxa.get(20).trim().toUpperCase(Locale.ROOT);
        String action = rxa.get(21).trim().toUpperCase(Locale.ROOT);
        if (action.startsWith("D")) {
            immunization.setStatus(Immunization.ImmunizationStatus.ENTEREDINERROR);
        } else if (completion.startsWith("RE") || completion.startsWith("NA")) {
            immunization.setStatus(Immunization.ImmunizationStatus.NOTDONE);
        } else {
            immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED); // CP, PA, or empty (CP by default)
            if (completion.startsWith("PA")) {
                immunization.setIsSubpotent(true);
                immunization.addSubpotentReason().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0322")
                        .setCode("PA").setDisplay("Partially Administered");
            }
        }
        CodeableConcept refusal = V2Types.concept(rxa, 18);
        if (refusal != null) {
            immunization.setStatusReason(refusal);
        } else if (completion.startsWith("RE")) {
            immunization.setStatusReason(new CodeableConcept().addCoding(new Coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ActReason", "PATOBJ", "patient objection")));
        }
    }

    /** RXA-9: 00 new record (primary source) or 01..08 historical, with where the history came from. */
    private static void origin(Segment rxa, Immunization immunization) {
        String code = rxa.get(9).trim();
        if (code.isEmpty()) {
            return;
        }
        immunization.setPrimarySource("00".equals(code));
        if ("00".equals(code)) {
            return;
        }
        CodeableConcept origin = V2Types.concept(rxa, 9);
        String fhirOrigin = switch (code) {
            case "02" -> "provider";
            case "03", "05", "06", "08" -> "record";
            case "04" -> "recall";
            case "07" -> "school";
            default -> null;
        };
        if (fhirOrigin != null) {
            origin.getCoding().add(0, new Coding(ORIGIN_SYSTEM, fhirOrigin, null));
        }
        immunization.setReportOrigin(origin);
    }

    /** RXA-6 amount (999 means unknown) and RXA-7 units. */
    private static void dose(Segment rxa, Immunization immunization) {
        String amount = rxa.get(6).trim();
        if (amount.isEmpty() || amount.equals("999")) {
            return;
        }
        try {
            Quantity quantity = new Quantity().setValue(new java.math.BigDecimal(amount));
            String unit = rxa.get(7, 1).trim();
            if (!unit.isEmpty()) {
                quantity.setCode(unit).setUnit(rxa.get(7, 2).isBlank() ? unit : rxa.get(7, 2).trim());
                String system = CodingSystems.uri(rxa.get(7, 3));
                quantity.setSystem(system != null ? system : "http://unitsofmeasure.org");
            }
            immunization.setDoseQuantity(quantity);
        } catch (NumberFormatException e) {
            immunization.addNote().setText("dose amount as sent: " + amount);
        }
    }

    /** RXA-17 manufacturer (MVX). */
    private static void manufacturer(Segment rxa, Immunization immunization) {
        Coding mvx = V2Types.coding(rxa, 17);
        if (mvx == null) {
            return;
        }
        Reference manufacturer = immunization.getManufacturer();
        manufacturer.setIdentifier(new Identifier().setSystem(mvx.getSystem()).setValue(mvx.getCode()));
        if (mvx.hasDisplay()) {
            manufacturer.setDisplay(mvx.getDisplay());
        }
    }

    /** RXA-10 administering provider (AP) and ORC-12 ordering provider (OP), as XCN. */
    private void performers(Segment orc, Segment rxa, Immunization immunization) {
        performer(rxa, 10, "AP", "Administering Provider", immunization);
        if (orc != null) {
            performer(orc, 12, "OP", "Ordering Provider", immunization);
        }
    }

    private void performer(Segment segment, int field, String function, String display, Immunization immunization) {
        String xcn = V2Types.first(segment, field);
        String id = segment.component(xcn, 1).trim();
        String name = V2Types.join(segment.component(xcn, 6), segment.component(xcn, 3), segment.component(xcn, 4),
                segment.subcomponent(xcn, 2, 1), segment.component(xcn, 5), segment.component(xcn, 21));
        if (id.isEmpty() && name.isEmpty()) {
            return;
        }
        Reference actor = new Reference();
        if (!name.isEmpty()) {
            actor.setDisplay(name);
        }
        if (!id.isEmpty()) {
            actor.setIdentifier(new Identifier().setValue(id)
                    .setSystem(IdentifierSystems.of(registry, segment.subcomponent(xcn, 9, 1))));
        }
        immunization.addPerformer().setActor(actor)
                .setFunction(new CodeableConcept().addCoding(new Coding(FUNCTION_SYSTEM, function, display)));
    }

    /** RXA-11 administered-at location (LA2): the facility (LA2-4, an HD: its id) and its address. */
    private static void location(Segment rxa, Immunization immunization) {
        String la2 = V2Types.first(rxa, 11);
        String facilityId = rxa.subcomponent(la2, 4, 1).trim();
        String facility = facilityId.isEmpty() ? rxa.subcomponent(la2, 4, 2).trim() : facilityId;
        String place = V2Types.join(rxa.component(la2, 9), rxa.component(la2, 10), rxa.component(la2, 11),
                rxa.component(la2, 12));
        if (facility.isEmpty() && place.isEmpty() && facilityId.isEmpty()) {
            return;
        }
        Reference location = immunization.getLocation();
        location.setDisplay(facility.isEmpty() ? place : place.isEmpty() ? facility : facility + ", " + place);
        if (!facilityId.isEmpty()) {
            location.setIdentifier(new Identifier().setValue(facilityId));
        }
    }

    /** RXR-1 route (NCIT or HL70162) and RXR-2 site (HL70163). */
    private static void route(List<Segment> rxrs, Immunization immunization) {
        if (rxrs.isEmpty()) {
            return;
        }
        Segment rxr = rxrs.get(0);
        CodeableConcept route = V2Types.concept(rxr, 1);
        if (route != null) {
            immunization.setRoute(route);
        }
        CodeableConcept site = V2Types.concept(rxr, 2);
        if (site != null) {
            immunization.setSite(site);
        }
    }

    /** ORC-3 filler (the registry's own id of the dose) and ORC-2 placer order numbers (EI). */
    private void orderIdentifier(Segment orc, int field, String type, Immunization immunization) {
        String ei = V2Types.first(orc, field);
        String value = orc.component(ei, 1).trim();
        if (value.isEmpty()) {
            return;
        }
        String authority = orc.component(ei, 2).trim();
        Identifier identifier = immunization.addIdentifier().setValue(value)
                .setSystem(IdentifierSystems.of(registry, authority.isEmpty() ? orc.component(ei, 3) : authority));
        identifier.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode(type);
    }

    /** OBX 64994-7 funding eligibility and OBX 30963-3 funding source. */
    private static void funding(OrderGroupObservations obx, Immunization immunization) {
        for (Segment segment : obx.withCode(Loinc.FUNDING_ELIGIBILITY)) {
            CodeableConcept eligibility = V2Types.concept(segment, 5);
            if (eligibility != null) {
                immunization.addProgramEligibility(eligibility);
            }
        }
        for (Segment segment : obx.withCode(Loinc.FUNDING_SOURCE)) {
            CodeableConcept source = V2Types.concept(segment, 5);
            if (source != null) {
                immunization.setFundingSource(source);
            }
        }
    }

    /**
     * VIS given (one education per OBX-4 sub-id): 69764-9 the VIS document (GS1 barcode),
     * 29768-9 its edition date, 29769-7 the date presented; for VIS identified by vaccine type
     * instead of barcode, the 30956-7 of the same sub-id names the document.
     */
    private static void education(OrderGroupObservations obx, Immunization immunization) {
        for (Map.Entry<String, List<Segment>> group : obx.bySubId.entrySet()) {
            Immunization.ImmunizationEducationComponent education = new Immunization.ImmunizationEducationComponent();
            for (Segment segment : group.getValue()) {
                switch (OrderGroupObservations.code(segment)) {
                    case Loinc.VIS_DOCUMENT_TYPE -> {
                        String barcode = segment.get(5, 1).trim();
                        education.setDocumentType(barcode.isEmpty() ? segment.get(5, 2) : barcode);
                    }
                    case Loinc.VIS_PUBLISHED -> setDate(segment, education::setPublicationDateElement);
                    case Loinc.VIS_PRESENTED -> setDate(segment, education::setPresentationDateElement);
                    default -> { }
                }
            }
            if (!education.hasPublicationDate() && !education.hasPresentationDate() && !education.hasDocumentType()) {
                continue;
            }
            if (!education.hasDocumentType()) {
                obx.first(group.getKey(), Loinc.VACCINE_TYPE).ifPresent(type -> {
                    CodeableConcept concept = V2Types.concept(type, 5);
                    if (concept != null && concept.hasCoding()) {
                        education.setDocumentType("CVX " + concept.getCodingFirstRep().getCode());
                    }
                });
            }
            immunization.addEducation(education);
        }
    }

    private static void setDate(Segment obx, java.util.function.Consumer<DateTimeType> setter) {
        DateTimeType date = V2Types.dateTime(obx.get(5));
        if (date != null) {
            setter.accept(date);
        }
    }

    /** Z42 dose evaluations: one per OBX-4 sub-id holding evaluation observations. */
    private List<ImmunizationEvaluation> evaluations(OrderGroupObservations obx, Immunization immunization,
            Reference patient) {
        List<ImmunizationEvaluation> evaluations = new ArrayList<>();
        for (Map.Entry<String, List<Segment>> group : obx.bySubId.entrySet()) {
            List<Segment> segments = group.getValue();
            boolean evaluation = OrderGroupObservations.anyCode(segments, Loinc::isEvaluation);
            boolean forecast = OrderGroupObservations.anyCode(segments, Loinc::isForecast);
            if (!evaluation || forecast) {
                continue;
            }
            ImmunizationEvaluation result = new ImmunizationEvaluation();
            result.setStatus(ImmunizationEvaluation.ImmunizationEvaluationStatus.COMPLETED);
            result.setPatient(patient);
            result.setImmunizationEvent(new Reference(immunization));
            CodeableConcept target = null;
            String validity = null;
            for (Segment segment : segments) {
                switch (OrderGroupObservations.code(segment)) {
                    case Loinc.VACCINE_TYPE -> target = V2Types.concept(segment, 5);
                    case Loinc.SCHEDULE_USED -> V2Types.authority(segment, result::setAuthority);
                    case Loinc.SERIES_NAME -> V2Types.setText(segment.get(5), result::setSeries);
                    case Loinc.DOSE_NUMBER -> V2Types.positive(segment.get(5)).ifPresent(result::setDoseNumber);
                    case Loinc.DOSES_IN_SERIES -> V2Types.positive(segment.get(5)).ifPresent(result::setSeriesDoses);
                    case Loinc.DOSE_VALIDITY -> validity = segment.get(5).trim().toUpperCase(Locale.ROOT);
                    default -> { }
                }
            }
            // targetDisease is required; registries send the vaccine group (30956-7), which stands for its diseases.
            result.setTargetDisease(target != null ? target : immunization.getVaccineCode().copy());
            result.setDoseStatus(doseStatus(validity));
            evaluations.add(result);
        }
        return evaluations;
    }

    private static CodeableConcept doseStatus(String validity) {
        CodeableConcept status = new CodeableConcept();
        if (validity == null || validity.isEmpty()) {
            // No 59781-5: the registry counted the dose in the series (it has a dose number), so it is valid.
            return status.addCoding(new Coding(DOSE_STATUS_SYSTEM, "valid", "Valid")).setText("counted in series");
        }
        boolean valid = validity.startsWith("Y");
        return status.addCoding(new Coding(DOSE_STATUS_SYSTEM, valid ? "valid" : "notvalid", valid ? "Valid" : "Not valid"));
    }

    /** Z42 forecast: one recommendation per OBX-4 sub-id holding forecast observations. */
    private static List<ImmunizationRecommendationRecommendationComponent> recommendations(OrderGroupObservations obx) {
        List<ImmunizationRecommendationRecommendationComponent> recommendations = new ArrayList<>();
        for (List<Segment> segments : obx.bySubId.values()) {
            if (!OrderGroupObservations.anyCode(segments, Loinc::isForecast)) {
                continue;
            }
            recommendations.add(ForecastMapper.recommendation(segments));
        }
        return recommendations;
    }
}
