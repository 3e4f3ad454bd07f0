package org.izfhir.submit;

import java.time.Instant;
import java.util.Objects;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * One version of a dose on its way to one registry: the VXU built once, sent as it is on every
 * attempt (same MSH-10, same ORC-3), so that a resend updates the registry's dose rather than
 * adding another. Served as a FHIR Task.
 *
 * @param reason    why this registry is due the dose
 * @param message   the VXU, as sent
 * @param outcome   the registry's acknowledgment in FHIR terms, or why the last attempt failed;
 *                  empty before the first attempt
 */
public record Delivery(String id, String doseId, int doseVersion, String submitter, String patientId,
                       String registryId, Reason reason, String controlId, String message, DeliveryState state,
                       int attempts, Instant nextAttemptAt, Instant createdAt, Instant updatedAt,
                       OperationOutcome outcome) {

    /** Why a registry is due a dose: Connect (where it was given) and Share (where the person lives). */
    public enum Reason {
        /** The registry of the state where the dose was given. */
        GIVEN_IN("where-given"),
        /** The registry of the person's home state, when another. */
        HOME("home");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static Reason ofCode(String code) {
            return code.equals(HOME.code) ? HOME : GIVEN_IN;
        }
    }

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(registryId, "registryId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(outcome, "outcome");
    }

    Delivery with(DeliveryState newState, OperationOutcome newOutcome, Instant next, Instant now) {
        return new Delivery(id, doseId, doseVersion, submitter, patientId, registryId, reason, controlId, message,
                newState, attempts, next, createdAt, now, newOutcome);
    }

    /** Still queued, the lease's attempt not counted: it never left this server. */
    Delivery notAttempted(OperationOutcome keptOutcome, Instant next, Instant now) {
        return new Delivery(id, doseId, doseVersion, submitter, patientId, registryId, reason, controlId, message,
                DeliveryState.QUEUED, attempts - 1, next, createdAt, now, keptOutcome);
    }
}
