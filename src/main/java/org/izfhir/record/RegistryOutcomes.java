package org.izfhir.record;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.response.RegistryResponse;

/**
 * The searchset's account of a consultation: one issue per registry, saying plainly what it
 * answered, with the registry's id in an extension and its status coded in {@link RegistryStatus#SYSTEM}.
 */
public final class RegistryOutcomes {

    /** On each issue: the id of the registry it is about. */
    public static final String REGISTRY_EXTENSION = "http://izfhir.org/fhir/StructureDefinition/registry";

    private RegistryOutcomes() {
    }

    /**
     * @param answers every registry's answer
     * @param used    the answers whose history is in the record: the others that carry a history
     *                described someone else
     */
    static OperationOutcome of(List<RegistryAnswer> answers, List<RegistryAnswer> used) {
        OperationOutcome outcome = new OperationOutcome();
        for (RegistryAnswer answer : answers) {
            boolean setAside = answer.hasHistory() && used.stream().noneMatch(u -> u.registryId().equals(answer.registryId()));
            outcome.addIssue(issue(answer, setAside));
        }
        return Profiles.declare(outcome, Profiles.REGISTRY_OUTCOME);
    }

    static OperationOutcomeIssueComponent issue(RegistryAnswer answer, boolean setAside) {
        RegistryStatus status = answer.status();
        StringBuilder text = new StringBuilder(answer.registryId()).append(" (").append(answer.registryName()).append(") ");
        if (answer.reused() && answer.failure() != null) {
            status = RegistryStatus.of(answer.failure());
            text.append(status.meaning()).append(": ").append(answer.failure().kind().meaning())
                    .append("; its answer of ").append(answer.at().truncatedTo(ChronoUnit.SECONDS)).append(" is shown");
        } else if (answer.failure() != null) {
            text.append(status.meaning()).append(": ").append(answer.failure().kind().meaning());
        } else if (setAside) {
            text.append("answered about a person who does not match the one asked for; its answer is not used");
        } else if (answer.hasHistory()) {
            RegistryResponse response = answer.response();
            text.append("answered: ").append(count(response.immunizations().size(), "dose"));
            if (response.forecast() != null) {
                text.append(", a forecast of ").append(count(response.forecast().getRecommendation().size(),
                        "vaccine group"));
            }
        } else {
            text.append(status.meaning());
            String errors = answer.response() == null ? "" : answer.response().errorSummary();
            if ((status == RegistryStatus.REJECTED || status == RegistryStatus.UNREADABLE) && !errors.isBlank()) {
                text.append(": ").append(errors);
            }
        }
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(setAside ? OperationOutcome.IssueSeverity.WARNING : status.severity())
                .setCode(status.type())
                .setDiagnostics(text.toString());
        issue.getDetails().addCoding(new Coding(RegistryStatus.SYSTEM, status.code(), null)).setText(text.toString());
        issue.addExtension(REGISTRY_EXTENSION, new StringType(answer.registryId()));
        return issue;
    }

    /** An informational issue saying when the registries were asked: answers may come from the stored record. */
    public static OperationOutcomeIssueComponent askedAt(Instant refreshedAt) {
        return new OperationOutcomeIssueComponent().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("the registries were asked at " + refreshedAt.truncatedTo(ChronoUnit.SECONDS)
                        + "; send Cache-Control: no-cache to ask them again now");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
