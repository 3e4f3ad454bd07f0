package org.izfhir.submit;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.response.Hl7Error;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.v2.Message;
import org.izfhir.record.RegistryOutcomes;

/**
 * A registry's ACK to a VXU, in FHIR terms (CDC IG release 1.5 and the IIP acknowledgment
 * guidance): MSA-1 decides the state, and each ERR becomes one OperationOutcome issue, with its
 * severity (ERR-4), its HL7 error as the issue code (ERR-3, table 0357), the application error and
 * the registry's own code as {@code details.coding} (ERR-5), its user message as
 * {@code details.text} (ERR-8) and where it is as a FHIRPath on the submitted resources (ERR-2).
 */
final class Acknowledgments {

    static final String TABLE_0357 = "http://terminology.hl7.org/CodeSystem/v2-0357";
    static final String TABLE_0533 = "http://terminology.hl7.org/CodeSystem/v2-0533";
    /** The registry's own error codes (ERR-5's alternate triplet): this URI and the registry's id. */
    static final String REGISTRY_ERROR_CODES = "http://izfhir.org/fhir/CodeSystem/registry-error/";

    /** The state an ACK puts a delivery in, and what it said. */
    record Reading(DeliveryState state, OperationOutcome outcome) {
    }

    private Acknowledgments() {
    }

    /**
     * Reads an ACK. {@code AA} is accepted; {@code AE} with no error of severity error is accepted
     * with warnings (registries keep the dose and send AE for, say, a missing phone number); any
     * other {@code AE} and {@code AR} are rejected.
     */
    static Reading read(RegistryResponse ack, Message sent, String registryId) {
        String code = ack.header().acknowledgmentCode().toUpperCase(Locale.ROOT);
        boolean errors = ack.errors().stream().anyMatch(e -> e.severity() == Hl7Error.Severity.ERROR);
        boolean warnings = ack.errors().stream().anyMatch(e -> e.severity() == Hl7Error.Severity.WARNING);
        DeliveryState state = switch (code) {
            case "AA", "CA" -> errors || warnings ? DeliveryState.ACCEPTED_WITH_WARNINGS : DeliveryState.ACCEPTED;
            case "AE", "CE" -> errors ? DeliveryState.REJECTED : DeliveryState.ACCEPTED_WITH_WARNINGS;
            default -> DeliveryState.REJECTED;
        };
        OperationOutcome outcome = new OperationOutcome();
        for (Hl7Error error : ack.errors()) {
            outcome.addIssue(issue(error, sent, registryId));
        }
        if (!outcome.hasIssue()) {
            outcome.addIssue(new OperationOutcomeIssueComponent().setSeverity(IssueSeverity.INFORMATION)
                    .setCode(IssueType.INFORMATIONAL).setDiagnostics("Acknowledged " + code + " (message "
                            + ack.header().acknowledgedControlId() + ")"));
        }
        outcome.getIssue().forEach(issue -> issue.addExtension(RegistryOutcomes.REGISTRY_EXTENSION, new StringType(registryId)));
        return new Reading(state, outcome);
    }

    static OperationOutcomeIssueComponent issue(Hl7Error error, Message sent, String registryId) {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(switch (error.severity()) {
                    case ERROR -> IssueSeverity.ERROR;
                    case WARNING -> IssueSeverity.WARNING;
                    case INFORMATION -> IssueSeverity.INFORMATION;
                })
                .setCode(issueType(error.code()));
        CodeableConcept details = new CodeableConcept();
        if (!error.code().isEmpty()) {
            details.addCoding(new Coding(TABLE_0357, error.code(), blankToNull(error.codeText())));
        }
        if (!error.applicationCode().isEmpty()) {
            details.addCoding(new Coding(TABLE_0533, error.applicationCode(), blankToNull(error.applicationCodeText())));
        }
        if (!error.localCode().isEmpty()) {
            details.addCoding(new Coding(REGISTRY_ERROR_CODES + registryId, error.localCode(),
                    blankToNull(error.localCodeText())));
        }
        details.setText(error.text().isEmpty() ? error.codeText() : error.text());
        issue.setDetails(details);
        if (!error.location().isEmpty()) {
            ErrorLocations.expression(error.location(), sent).ifPresent(issue::addExpression);
            issue.setDiagnostics("HL7 location " + error.location());
        }
        return issue;
    }

    /** HL7 table 0357 as FHIR issue types. */
    static IssueType issueType(String hl7Code) {
        return switch (hl7Code) {
            case "0" -> IssueType.INFORMATIONAL;
            case "100" -> IssueType.STRUCTURE;
            case "101" -> IssueType.REQUIRED;
            case "102" -> IssueType.VALUE;
            case "103" -> IssueType.CODEINVALID;
            case "104" -> IssueType.TOOLONG;
            case "200", "201", "202", "203" -> IssueType.NOTSUPPORTED;
            case "204" -> IssueType.NOTFOUND;
            case "205" -> IssueType.DUPLICATE;
            case "206" -> IssueType.LOCKERROR;
            case "207" -> IssueType.EXCEPTION;
            default -> IssueType.PROCESSING;
        };
    }

    /** The words for a person of one registry's answer: "NJ IIS accepted the dose with 1 warning: ...". */
    static String summary(String registryName, DeliveryState state, OperationOutcome outcome) {
        List<String> problems = outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.WARNING)
                .map(i -> (i.getDetails().hasText() ? i.getDetails().getText() : i.getDiagnostics())
                        + (i.hasExpression() ? " (" + i.getExpression().get(0).getValue() + ")" : ""))
                .toList();
        String words = switch (state) {
            case ACCEPTED -> registryName + " accepted the dose";
            case ACCEPTED_WITH_WARNINGS -> registryName + " accepted the dose with " + count(problems.size(), "warning");
            case REJECTED -> registryName + " rejected the dose";
            case QUEUED -> registryName + " has not acknowledged the dose yet: it is queued and will be sent again";
            case UNDELIVERABLE -> registryName + " could not be reached before the dose's delivery expired";
        };
        return problems.isEmpty() ? words : words + ": " + String.join("; ", problems);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
