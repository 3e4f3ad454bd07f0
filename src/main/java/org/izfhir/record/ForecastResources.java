package org.izfhir.record;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.codes.Codes;
import org.izfhir.codes.VaccineGroup;
import org.izfhir.forecast.Assessment;
import org.izfhir.forecast.CdsiEngine;
import org.izfhir.forecast.Forecast;
import org.izfhir.forecast.Forecast.DoseEvaluation;
import org.izfhir.forecast.Forecast.GroupForecast;
import org.izfhir.hl7.CodingSystems;

/**
 * The CDSi engine in FHIR: a Patient and their Immunizations in, one ImmunizationRecommendation
 * (a {@code recommendation} per vaccine group) and an ImmunizationEvaluation per dose and antigen
 * out, as the HL7 Immunization Decision Support Forecast guide (ImmDS) shapes them. Every
 * resource is marked as the server's own forecast. Thread-safe.
 */
public final class ForecastResources {

    /** Tags the server's own forecast: {@code _tag=http://izfhir.org/fhir/CodeSystem/forecaster|cdsi}. */
    public static final String FORECASTER_TAG = "http://izfhir.org/fhir/CodeSystem/forecaster";
    public static final String CDSI = "cdsi";
    /** CDSi's own series status, beside the FHIR status where FHIR has none (aged out, not recommended). */
    public static final String CDSI_STATUS = "http://izfhir.org/fhir/CodeSystem/cdsi-series-status";
    /** CDSi's own observation codes (e.g. 160, anatomical or functional asplenia), for findings coded that way. */
    public static final String CDSI_OBSERVATION = "http://izfhir.org/fhir/CodeSystem/cdsi-observation";
    /** The supporting data's names of the coded values' systems (SNOMED for SCT), by FHIR URI. */
    private static final Map<String, String> CODED_VALUE_SYSTEMS = Map.of(
            CodingSystems.uri("SCT"), "SNOMED", CodingSystems.uri("CDCPHINVS"), "CDCPHINVS");
    private static final String FHIR_STATUS = "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status";
    private static final String DOSE_STATUS = "http://terminology.hl7.org/CodeSystem/immunization-evaluation-dose-status";
    private static final String AUTHORITY = "IZ FHIR Server forecast (CDC CDSi logic 4.6, supporting data 4.64)";

    /** The engine's answer as FHIR, and what in the input it could not use (with why). */
    public record Result(ImmunizationRecommendation recommendation, List<ImmunizationEvaluation> evaluations,
                         List<String> problems) {}

    private final CdsiEngine engine;
    private final Map<String, Coding> groupCodes = new HashMap<>();
    /**
     * The engine's answers by their whole input (a pure function of it): a record refreshed with an
     * unchanged history, on the same day, is not forecast again.
     */
    private final Cache<Assessment, Forecast> answers = Caffeine.newBuilder().maximumSize(2_000).build();

    public ForecastResources(CdsiEngine engine, Codes codes) {
        this.engine = engine;
        // Each CDSi vaccine group's CVX (e.g. 107 for DTaP/Tdap/Td): the CDC vaccine group most of
        // the vaccines that count for all of its antigens, and nothing else, belong to.
        var data = engine.data();
        for (var group : data.vaccineGroups().values()) {
            Map<String, Integer> votes = new LinkedHashMap<>();
            data.cvxAntigens().forEach((cvx, antigens) -> {
                var counted = antigens.stream().map(a -> a.antigen()).collect(java.util.stream.Collectors.toSet());
                if (counted.equals(new java.util.HashSet<>(group.antigens()))) {
                    for (VaccineGroup cdc : codes.vaccineGroups(cvx)) {
                        votes.merge(cdc.cvx(), 1, Integer::sum);
                    }
                }
            });
            votes.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(best -> groupCodes.put(group.name(),
                    new Coding(CodingSystems.CVX, best.getKey(), codes.vaccine(best.getKey())
                            .map(v -> v.shortName()).orElse(group.name()))));
        }
    }

    /**
     * Forecasts for a patient as of a date. Doses without a date or a CVX the supporting data
     * knows, and doses before birth, are left out and named in {@link Result#problems()}; a
     * patient without a birth date has no forecast (null recommendation). Findings are Conditions
     * and Observations whose code (or, for an Observation, value) is a coded value of a CDSi
     * observation (SNOMED, CDC PHIN VS, or the CDSi observation code itself): they select risk
     * series, contraindicate and show immunity; findings the supporting data does not know are not
     * about vaccination and are left out.
     */
    public Result forecast(Patient patient, List<Immunization> immunizations, List<? extends Resource> findings,
                           LocalDate assessmentDate, String idPrefix) {
        List<String> problems = new ArrayList<>();
        if (!patient.hasBirthDate()) {
            problems.add("The patient has no birth date; a forecast needs one.");
            return new Result(null, List.of(), problems);
        }
        LocalDate birthDate = localDate(patient.getBirthDateElement().getValueAsString());
        List<Assessment.Dose> doses = new ArrayList<>();
        Map<String, Immunization> byId = new HashMap<>();
        for (int i = 0; i < immunizations.size(); i++) {
            Immunization immunization = immunizations.get(i);
            String label = "Immunization " + (immunization.hasIdElement() && immunization.getIdElement().hasIdPart()
                    ? immunization.getIdElement().getIdPart() : "#" + (i + 1));
            if (immunization.getStatus() != Immunization.ImmunizationStatus.COMPLETED) {
                continue; // not given (not-done, entered-in-error): nothing to evaluate
            }
            String cvx = immunization.getVaccineCode().getCoding().stream()
                    .filter(c -> CodingSystems.CVX.equals(c.getSystem())).map(Coding::getCode).findFirst().orElse(null);
            if (!immunization.hasOccurrenceDateTimeType() || immunization.getOccurrenceDateTimeType().getValue() == null) {
                problems.add(label + " has no date of administration (occurrenceDateTime).");
                continue;
            }
            LocalDate date = localDate(immunization.getOccurrenceDateTimeType().getValueAsString());
            if (cvx == null) {
                problems.add(label + " has no CVX code (vaccineCode with system " + CodingSystems.CVX + ").");
            } else if (!engine.knows(cvx)) {
                problems.add(label + " has CVX " + cvx + ", which the CDSi supporting data does not know.");
            } else if (date.isBefore(birthDate)) {
                problems.add(label + " is dated " + date + ", before the patient's birth date " + birthDate + ".");
            } else if (date.isAfter(assessmentDate)) {
                problems.add(label + " is dated " + date + ", after the assessment date " + assessmentDate + ".");
            } else {
                String id = String.valueOf(i);
                byId.put(id, immunization);
                doses.add(new Assessment.Dose(id, date, cvx, mvx(immunization)));
            }
        }
        Assessment.Sex sex = patient.getGender() == Enumerations.AdministrativeGender.FEMALE ? Assessment.Sex.FEMALE
                : patient.getGender() == Enumerations.AdministrativeGender.MALE ? Assessment.Sex.MALE : Assessment.Sex.UNKNOWN;
        Forecast forecast = answers.get(new Assessment(assessmentDate, birthDate, sex, doses, observations(findings)),
                engine::forecast);
        Reference subject = patient.hasIdElement() && patient.getIdElement().hasIdPart()
                ? new Reference("Patient/" + patient.getIdElement().getIdPart()) : new Reference().setDisplay(name(patient));
        return new Result(recommendation(forecast, subject, idPrefix),
                evaluations(forecast, subject, byId, idPrefix), problems);
    }

    private List<Assessment.Observation> observations(List<? extends Resource> findings) {
        List<Assessment.Observation> observations = new ArrayList<>();
        for (Resource finding : findings) {
            List<CodeableConcept> concepts = new ArrayList<>();
            LocalDate date = null;
            if (finding instanceof Condition condition) {
                concepts.add(condition.getCode());
                date = condition.hasOnsetDateTimeType() ? localDate(condition.getOnsetDateTimeType().getValueAsString())
                        : null;
            } else if (finding instanceof Observation observation) {
                concepts.add(observation.getCode());
                if (observation.hasValueCodeableConcept()) {
                    concepts.add(observation.getValueCodeableConcept());
                }
                date = observation.hasEffectiveDateTimeType()
                        ? localDate(observation.getEffectiveDateTimeType().getValueAsString()) : null;
            }
            for (CodeableConcept concept : concepts) {
                for (Coding coding : concept.getCoding()) {
                    for (String code : cdsiObservations(coding)) {
                        observations.add(new Assessment.Observation(code, date));
                    }
                }
            }
        }
        return observations;
    }

    private Set<String> cdsiObservations(Coding coding) {
        if (coding.getCode() == null || coding.getSystem() == null) {
            return Set.of();
        }
        if (CDSI_OBSERVATION.equals(coding.getSystem())) {
            return engine.data().observations().containsKey(coding.getCode()) ? Set.of(coding.getCode()) : Set.of();
        }
        String system = CODED_VALUE_SYSTEMS.get(coding.getSystem());
        return system == null ? Set.of() : engine.data().observationsFor(system, coding.getCode());
    }

    private ImmunizationRecommendation recommendation(Forecast forecast, Reference subject, String idPrefix) {
        ImmunizationRecommendation resource = new ImmunizationRecommendation();
        resource.setId(idPrefix + "-rec-" + CDSI);
        mark(resource);
        resource.setPatient(subject.copy());
        resource.setDateElement(date(forecast.assessmentDate()));
        resource.setAuthority(new Reference().setDisplay(AUTHORITY));
        for (GroupForecast group : forecast.groups()) {
            var r = resource.addRecommendation();
            Coding groupCode = groupCodes.get(group.vaccineGroup());
            CodeableConcept vaccine = r.addVaccineCode();
            if (groupCode != null) {
                vaccine.addCoding(groupCode.copy());
            }
            vaccine.setText(group.vaccineGroup());
            group.recommendedCvx().forEach(cvx -> r.addVaccineCode().addCoding(new Coding(CodingSystems.CVX, cvx, null)));
            r.setTargetDisease(new CodeableConcept().setText(String.join(", ", group.targetDiseases())));
            CodeableConcept status = new CodeableConcept().setText(group.status().text());
            String fhirStatus = fhirStatus(group, forecast.assessmentDate());
            if (fhirStatus != null) {
                status.addCoding(new Coding(FHIR_STATUS, fhirStatus, null));
            }
            status.addCoding(new Coding(CDSI_STATUS, group.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    group.status().text()));
            r.setForecastStatus(status);
            group.reasons().forEach(reason -> r.addForecastReason().setText(reason));
            criterion(r, "30981-5", "Earliest date to give", group.earliest());
            criterion(r, "30980-7", "Date vaccine due", group.recommended());
            criterion(r, "59778-1", "Date when overdue for immunization", group.pastDue());
            criterion(r, "59777-3", "Latest date to give immunization", group.latest());
            if (group.doseNumber() != null) {
                r.setDoseNumber(new PositiveIntType(group.doseNumber()));
            }
            if (group.seriesDoses() != null) {
                r.setSeriesDoses(new PositiveIntType(group.seriesDoses()));
            }
            r.setSeries(String.join(", ", group.series()));
        }
        return resource;
    }

    private List<ImmunizationEvaluation> evaluations(Forecast forecast, Reference subject,
                                                     Map<String, Immunization> byId, String idPrefix) {
        List<ImmunizationEvaluation> out = new ArrayList<>();
        int n = 0;
        for (DoseEvaluation e : forecast.evaluations()) {
            ImmunizationEvaluation evaluation = new ImmunizationEvaluation();
            evaluation.setId(idPrefix + "-eval-" + CDSI + "-" + ++n);
            mark(evaluation);
            evaluation.setStatus(ImmunizationEvaluation.ImmunizationEvaluationStatus.COMPLETED);
            evaluation.setPatient(subject.copy());
            evaluation.setDateElement(date(forecast.assessmentDate()));
            evaluation.setAuthority(new Reference().setDisplay(AUTHORITY));
            evaluation.setTargetDisease(new CodeableConcept().setText(e.targetDisease()));
            Immunization dose = byId.get(e.doseId());
            evaluation.setImmunizationEvent(dose != null && dose.hasIdElement() && dose.getIdElement().hasIdPart()
                    ? new Reference("Immunization/" + dose.getIdElement().getIdPart())
                    : new Reference().setDisplay("dose " + (e.doseIndex() + 1) + " of the request"));
            boolean valid = e.status() == Forecast.EvaluationStatus.VALID;
            evaluation.setDoseStatus(new CodeableConcept(new Coding(DOSE_STATUS, valid ? "valid" : "notvalid",
                    valid ? "Valid" : "Not valid")).setText(e.status().text()));
            if (e.reason() != null) {
                evaluation.addDoseStatusReason().setText(e.reason());
            }
            evaluation.setSeries(e.series());
            if (e.doseNumber() != null) {
                evaluation.setDoseNumber(new PositiveIntType(e.doseNumber()));
            }
            out.add(evaluation);
        }
        return out;
    }

    private static String fhirStatus(GroupForecast group, LocalDate assessmentDate) {
        return switch (group.status()) {
            case NOT_COMPLETE -> group.pastDue() != null && !assessmentDate.isBefore(group.pastDue()) ? "overdue" : "due";
            case COMPLETE -> "complete";
            case IMMUNE -> "immune";
            case CONTRAINDICATED -> "contraindicated";
            default -> null;
        };
    }

    private static void criterion(ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent r,
                                  String loinc, String display, LocalDate value) {
        if (value != null) {
            r.addDateCriterion().setCode(new CodeableConcept(new Coding(CodingSystems.LOINC, loinc, display)))
                    .setValueElement(date(value));
        }
    }

    private static void mark(org.hl7.fhir.r4.model.Resource resource) {
        resource.getMeta().addTag(FORECASTER_TAG, CDSI, "Forecast by this server on the consolidated history");
        resource.getMeta().setSource(FORECASTER_TAG + "/" + CDSI);
    }

    /** The manufacturer's MVX, as the HL7 mapping writes it (an identifier of system MVX), or null. */
    private static String mvx(Immunization immunization) {
        var identifier = immunization.getManufacturer().getIdentifier();
        return identifier.hasSystem() && !CodingSystems.MVX.equals(identifier.getSystem()) ? null : identifier.getValue();
    }

    private static String name(Patient patient) {
        return patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : "the patient";
    }

    /** The calendar date as written (a FHIR date or dateTime), whatever the server's time zone. */
    private static LocalDate localDate(String fhirDate) {
        return LocalDate.parse(fhirDate.substring(0, 10));
    }

    private static DateTimeType date(LocalDate date) {
        return new DateTimeType(date.toString());
    }
}
