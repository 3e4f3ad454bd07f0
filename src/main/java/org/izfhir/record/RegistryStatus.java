package org.izfhir.record;

import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.registry.RegistryFailure;

/**
 * What a registry's part in a consultation came to, as a client is told it: one issue per
 * registry in the searchset's OperationOutcome, coded in {@link #SYSTEM}.
 */
public enum RegistryStatus {
    ANSWERED(IssueSeverity.INFORMATION, IssueType.INFORMATIONAL, "answered"),
    NOT_FOUND(IssueSeverity.INFORMATION, IssueType.NOTFOUND, "has no record of this person"),
    CANDIDATES(IssueSeverity.WARNING, IssueType.MULTIPLEMATCHES,
            "found several people who may match: add details (middle name, mother's maiden name, phone, address)"),
    TOO_MANY(IssueSeverity.WARNING, IssueType.TOOCOSTLY,
            "found more matching people than it may return: add details (middle name, mother's maiden name, phone)"),
    PROTECTED(IssueSeverity.WARNING, IssueType.SUPPRESSED, "holds a protected record it may not share"),
    REJECTED(IssueSeverity.ERROR, IssueType.PROCESSING, "rejected the query"),
    TIMED_OUT(IssueSeverity.ERROR, IssueType.TIMEOUT, "did not answer in time"),
    UNAVAILABLE(IssueSeverity.ERROR, IssueType.TRANSIENT, "is unavailable"),
    FAILED(IssueSeverity.ERROR, IssueType.EXCEPTION, "could not be asked"),
    UNREADABLE(IssueSeverity.ERROR, IssueType.EXCEPTION, "sent an answer that could not be read");

    /** The code system of registry statuses. */
    public static final String SYSTEM = "http://izfhir.org/fhir/CodeSystem/registry-status";

    private final IssueSeverity severity;
    private final IssueType type;
    private final String meaning;

    RegistryStatus(IssueSeverity severity, IssueType type, String meaning) {
        this.severity = severity;
        this.type = type;
        this.meaning = meaning;
    }

    public IssueSeverity severity() {
        return severity;
    }

    public IssueType type() {
        return type;
    }

    /** What the status means, as the end of a sentence whose subject is the registry. */
    public String meaning() {
        return meaning;
    }

    /** The code: lower case with dashes. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static RegistryStatus of(Kind kind) {
        return switch (kind) {
            case HISTORY, HISTORY_AND_FORECAST, ACCEPTED, ACCEPTED_WITH_ERRORS -> ANSWERED;
            case NOT_FOUND -> NOT_FOUND;
            case CANDIDATES -> CANDIDATES;
            case TOO_MANY -> TOO_MANY;
            case PROTECTED -> PROTECTED;
            case REJECTED -> REJECTED;
            case UNREADABLE -> UNREADABLE;
        };
    }

    static RegistryStatus of(RegistryFailure failure) {
        return switch (failure.kind()) {
            case TIMEOUT, CONNECT_TIMEOUT -> TIMED_OUT;
            case CIRCUIT_OPEN, TOO_MANY_CALLS, CONNECTION_REFUSED, DESTINATION_CONNECTION_FAULT -> UNAVAILABLE;
            case NOT_SOAP, ANSWER_TOO_LARGE -> UNREADABLE;
            default -> FAILED;
        };
    }
}
