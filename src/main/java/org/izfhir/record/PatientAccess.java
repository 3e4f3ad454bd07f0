package org.izfhir.record;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose records a caller may reach: everyone's (a backend service with system scopes, or the
 * sign-in pages finding an account's own people by its demographics), or one person's (a SMART
 * launch's patient). The record service takes it with every request and refuses any other record
 * before it reads a row or asks a registry, so that a mistake in the API above it cannot reach
 * another person's record.
 */
public final class PatientAccess {

    private static final PatientAccess EVERYONE = new PatientAccess(null);

    /** The one patient, or null for everyone. */
    private final String patientId;

    private PatientAccess(String patientId) {
        this.patientId = patientId;
    }

    /** Every record, and finding people by demographics. */
    public static PatientAccess everyone() {
        return EVERYONE;
    }

    /** One person's record only; finding people by demographics is refused. */
    public static PatientAccess only(String patientId) {
        if (patientId == null || patientId.isEmpty()) {
            throw new IllegalArgumentException("a patient-context access needs its patient's id");
        }
        return new PatientAccess(patientId);
    }

    /** The patient this access is limited to; empty for everyone. */
    public Optional<String> patient() {
        return Optional.ofNullable(patientId);
    }

    /** Whether the record of this patient id may be read or refreshed. */
    public boolean allows(String otherPatientId) {
        return patientId == null || patientId.equals(otherPatientId);
    }

    void checkRecord(String otherPatientId) {
        if (!allows(otherPatientId)) {
            throw new NotPermittedException("this access is limited to one person's record; another was asked for");
        }
    }

    void checkFindsPeople() {
        if (patientId != null) {
            throw new NotPermittedException("this access is limited to one person's record; it cannot find people");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PatientAccess access && Objects.equals(patientId, access.patientId);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(patientId);
    }

    @Override
    public String toString() {
        return patientId == null ? "everyone" : "one patient";
    }

    /** A record, or a search for people, outside what the caller may reach; nothing was read or asked. */
    public static final class NotPermittedException extends RuntimeException {
        NotPermittedException(String message) {
            super(message, null, false, false);
        }
    }
}
