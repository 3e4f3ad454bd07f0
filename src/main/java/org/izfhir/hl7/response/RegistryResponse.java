package org.izfhir.hl7.response;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * One registry answer (RSP^K11 or ACK), read and mapped to FHIR R4.
 *
 * @param outcome        what the answer says
 * @param header         identifiers of the answer (control ids, query tag, statuses as sent)
 * @param errors         the ERR segments, in order
 * @param patient        the matched person, for {@link Outcome#HISTORY} and {@link Outcome#HISTORY_AND_FORECAST}
 *                       (and {@link Outcome#PROTECTED} when the registry said who); else {@code null}
 * @param candidates     the possible matches, for {@link Outcome#CANDIDATES}; no immunization data
 * @param immunizations  the doses, referring to {@code patient}
 * @param evaluations    the registry's evaluation of each dose (Z42)
 * @param forecast       the registry's forecast (Z42), or {@code null}
 * @param findings       the patient's contraindications and evidence of immunity, as Observations
 * @param skippedSegments segments and observations the mapping does not use (counted, never PHI)
 * @param problem        for {@link Outcome#UNREADABLE}: what is wrong, without message content; else empty
 */
public record RegistryResponse(Outcome outcome, Header header, List<Hl7Error> errors, Patient patient,
                               List<Patient> candidates, List<Immunization> immunizations,
                               List<ImmunizationEvaluation> evaluations, ImmunizationRecommendation forecast,
                               List<Observation> findings, int skippedSegments, String problem) {

    public RegistryResponse {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(header, "header");
        errors = List.copyOf(errors);
        candidates = List.copyOf(candidates);
        immunizations = List.copyOf(immunizations);
        evaluations = List.copyOf(evaluations);
        findings = List.copyOf(findings);
        Objects.requireNonNull(problem, "problem");
    }

    /** Identifiers and statuses of an answer, as sent. Never PHI: safe to log. */
    public record Header(String messageType, String controlId, String acknowledgmentCode, String acknowledgedControlId,
                         String queryTag, String queryStatus, String profile, String sendingApplication,
                         String sendingFacility) {
        static final Header NONE = new Header("", "", "", "", "", "", "", "", "");
    }

    static RegistryResponse unreadable(String problem) {
        return new RegistryResponse(Outcome.UNREADABLE, Header.NONE, List.of(), null, List.of(), List.of(), List.of(),
                null, List.of(), 0, problem);
    }

    /** The errors of severity error, for a person: "text (HL7 error 101) at PID-7; ...". */
    public String errorSummary() {
        return errors.stream().filter(e -> e.severity() == Hl7Error.Severity.ERROR).map(Hl7Error::describe)
                .reduce((a, b) -> a + "; " + b).orElse(problem);
    }
}
