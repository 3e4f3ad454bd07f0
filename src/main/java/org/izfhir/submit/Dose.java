package org.izfhir.submit;

import java.time.Instant;
import java.util.Objects;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;

/**
 * One version of a submitted dose, as accepted: the Immunization as the submitter sent it, and the
 * person it is about as the VXU describes them.
 *
 * @param id         the dose's id here ({@code Immunization/{id}}), the same in every version;
 *                   also its ORC-3 filler order number at every registry
 * @param version    1 for the first submission, one more for each correction or deletion
 * @param submitter  the client that submitted it
 * @param patientId  the consolidated record it was matched to; null when none was found
 * @param personKey  this server's PID-3 identifier of the person, the same for every dose of theirs
 *                   from this submitter, whatever their name then
 */
public record Dose(String id, int version, String submitter, String patientId, String personKey, Action action,
                   Immunization immunization, Patient patient, Instant acceptedAt) {

    public Dose {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(submitter, "submitter");
        Objects.requireNonNull(personKey, "personKey");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(immunization, "immunization");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }
}
