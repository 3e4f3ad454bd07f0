package org.izfhir.fhir.forecast;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.record.ForecastResources;
import org.springframework.stereotype.Component;

/**
 * {@code POST [base]/$immds-forecast}, as the HL7 Immunization Decision Support Forecast guide
 * (ImmDS STU1) defines it: {@code assessmentDate}, {@code patient} and {@code immunization*} in;
 * {@code recommendation} and {@code evaluation*} out. Beyond the guide, {@code condition*} and
 * {@code observation*} carry the patient's findings (risk conditions, contraindications, evidence
 * of immunity) coded as CDSi observations know them. The caller's data is forecast as sent:
 * nothing is looked up, stored or sent to a registry.
 */
@Component
public class ImmdsForecastProvider {

    private final ForecastResources forecasts;

    ImmdsForecastProvider(ForecastResources forecasts) {
        this.forecasts = forecasts;
    }

    @Operation(name = "$immds-forecast", idempotent = false)
    public Parameters forecast(@OperationParam(name = "assessmentDate", max = 1) DateType assessmentDate,
                               @OperationParam(name = "patient", max = 1) Patient patient,
                               @OperationParam(name = "immunization") List<Immunization> immunizations,
                               @OperationParam(name = "condition") List<Condition> conditions,
                               @OperationParam(name = "observation") List<Observation> observations) {
        OperationOutcome problems = new OperationOutcome();
        if (assessmentDate == null || assessmentDate.getValue() == null) {
            problem(problems, "assessmentDate is required: the date the forecast is for (e.g. today).");
        }
        if (patient == null) {
            problem(problems, "patient is required: a Patient with at least a birth date (and gender for"
                    + " series that depend on it).");
        }
        if (problems.hasIssue()) {
            throw new InvalidRequestException("Cannot forecast", problems);
        }
        List<Immunization> doses = immunizations == null ? List.of() : immunizations;
        LocalDate asOf = LocalDate.parse(assessmentDate.getValueAsString().substring(0, 10));
        List<Resource> findings = new ArrayList<>();
        findings.addAll(conditions == null ? List.of() : conditions);
        findings.addAll(observations == null ? List.of() : observations);
        ForecastResources.Result result = forecasts.forecast(patient, doses, findings, asOf, "immds");
        result.problems().forEach(p -> problem(problems, p));
        if (problems.hasIssue()) {
            throw new InvalidRequestException("Cannot forecast", problems);
        }
        Parameters out = new Parameters();
        out.addParameter().setName("recommendation").setResource(result.recommendation());
        for (ImmunizationEvaluation evaluation : result.evaluations()) {
            out.addParameter().setName("evaluation").setResource(evaluation);
        }
        return out;
    }

    private static void problem(OperationOutcome outcome, String text) {
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVALID).setDiagnostics(text);
    }
}
