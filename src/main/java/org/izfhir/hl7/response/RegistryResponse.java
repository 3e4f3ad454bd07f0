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
 * @param kind           what kind of answer it is
 * @param header         identifiers of the answer (control ids, query tag, statuses as sent)
 * @param errors         the ERR segments, in order
 * @param patient        the matched person, for {@link Kind#HISTORY} and {@link Kind#HISTORY_AND_FORECAST}
 *                       (and {@link Kind#PROTECTED} when the registry said who); else {@code null}
 * @param candidates     the possible matches, for {@link Kind#CANDIDATES}; no immunization data
 * @param immunizations  the doses, referring to {@code patient}
 * @param evaluations    the registry's evaluation of each dose (Z42)
 * @param forecast       the registry's forecast (Z42), or {@code null}
 * @param findings       the patient's contraindications and evidence of immunity, as Observations
 * @param skippedSegments segments and observations the mapping does not use (counted, never PHI)
 * @param problem        for {@link Kind#UNREADABLE}: what is wrong, without message content; else empty
 */
public record RegistryResponse(Kind kind, Header header, List<Hl7Error> errors, Patient patient,
                               List<Patient> candidates, List<Immunization> immunizations,
                               List<ImmunizationEvaluation> evaluations, ImmunizationRecommendation forecast,
                               List<Observation> findings, int skippedSegments, String problem) {

    public RegistryResponse {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(header, "header");
        errors = List.copyOf(errors);
        candidates = List.copyOf(candidates);
        immunizations = List.copyOf(immunizations);
        evaluations = List.copyOf(evaluations);
        findings = List.copyOf(findings);
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * What kind of answer it is, decided by QAK-2 (HL7 table 0208), MSA-1 (table 0008) and the
     * segments present, never by the profile in MSH-21 alone.
     */
    public enum Kind {
        /** One person matched; their history (Z32, or Z42 without forecast). */
        HISTORY(true),
        /** One person matched; history with evaluation and forecast (Z42). */
        HISTORY_AND_FORECAST(true),
        /** Several people may match (Z31, sometimes labelled Z33): demographics only, no immunizations. */
        CANDIDATES(true),
        /** No one matched (QAK-2 NF). */
        NOT_FOUND(true),
        /** More people matched than the query allows (QAK-2 TM). */
        TOO_MANY(true),
        /** The record exists but the registry may not share it (QAK-2 PD, or a protection indicator). */
        PROTECTED(true),
        /** A submission was accepted (ACK AA). */
        ACCEPTED(true),
        /** A submission was accepted with errors: some of it may be lost (ACK AE). */
        ACCEPTED_WITH_ERRORS(true),
        /** The registry refused the message (AE/AR with ERR): see the errors. */
        REJECTED(true),
        /** The answer is not a readable HL7 message, or not an answer to a query or submission. */
        UNREADABLE(false);

        private final boolean readable;

        Kind(boolean readable) {
            this.readable = readable;
        }

        /** Whether the registry gave an answer the server could read (even a negative one). */
        public boolean answered() {
            return readable;
        }
    }

    /** Identifiers and statuses of an answer, as sent. Never PHI: safe to log. */
    public record Header(String messageType, String controlId, String acknowledgmentCode, String acknowledgedControlId,
                         String queryTag, String queryStatus, String profile, String sendingApplication,
                         String sendingFacility) {
        static final Header NONE = new Header("", "", "", "", "", "", "", "", "");
    }

    static RegistryResponse unreadable(String problem) {
        return new RegistryResponse(Kind.UNREADABLE, Header.NONE, List.of(), null, List.of(), List.of(), List.of(),
                null, List.of(), 0, problem);
    }

    /** The errors of severity error, for a person: "text (HL7 error 101) at PID-7; ...". */
    public String errorSummary() {
        return errors.stream().filter(e -> e.severity() == Hl7Error.Severity.ERROR).map(Hl7Error::describe)
                .reduce((a, b) -> a + "; " + b).orElse(problem);
    }
}
