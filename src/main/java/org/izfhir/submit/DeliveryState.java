package org.izfhir.submit;

import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * Where one delivery of a dose to one registry stands. Queued is the only state that changes
 * again: the others are final (a registry's AE or AR is its answer; a resend would get the same).
 */
public enum DeliveryState {
    QUEUED("queued for delivery", IssueSeverity.WARNING),
    ACCEPTED("accepted", IssueSeverity.INFORMATION),
    ACCEPTED_WITH_WARNINGS("accepted with warnings", IssueSeverity.WARNING),
    REJECTED("rejected", IssueSeverity.ERROR),
    /** Not delivered within the maximum age, after every retry. */
    UNDELIVERABLE("undeliverable", IssueSeverity.ERROR);

    /** The code system of {@code Task.businessStatus}. */
    public static final String SYSTEM = "http://izfhir.org/fhir/CodeSystem/delivery-status";

    private final String words;
    private final IssueSeverity severity;

    DeliveryState(String words, IssueSeverity severity) {
        this.words = words;
        this.severity = severity;
    }

    /** The code in {@link #SYSTEM}, also the database value: {@code accepted-with-warnings}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String words() {
        return words;
    }

    public IssueSeverity severity() {
        return severity;
    }

    public boolean pending() {
        return this == QUEUED;
    }

    /** The Task's status: requested before the first attempt, in progress while retrying, then completed or failed. */
    public TaskStatus taskStatus(int attempts) {
        return switch (this) {
            case QUEUED -> attempts == 0 ? TaskStatus.REQUESTED : TaskStatus.INPROGRESS;
            case ACCEPTED, ACCEPTED_WITH_WARNINGS -> TaskStatus.COMPLETED;
            case REJECTED, UNDELIVERABLE -> TaskStatus.FAILED;
        };
    }

    public static DeliveryState ofCode(String code) {
        for (DeliveryState state : values()) {
            if (state.code().equals(code)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown delivery state '" + code + "'");
    }
}
