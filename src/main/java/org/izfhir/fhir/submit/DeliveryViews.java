package org.izfhir.fhir.submit;

import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.izfhir.record.Consolidator;
import org.izfhir.record.Profiles;
import org.izfhir.record.RegistryOutcomes;
import org.izfhir.registry.Registries;
import org.izfhir.registry.RegistryClient;
import org.izfhir.submit.Delivery;
import org.izfhir.submit.DeliveryState;
import org.izfhir.submit.Submissions;

/**
 * How deliveries read in FHIR: each one a Task, and the answer to a submission one
 * OperationOutcome with one issue per registry, in words a clinician can act on.
 */
final class DeliveryViews {

    /** On a submission's issue: the Task of that registry's delivery. */
    static final String DELIVERY_TASK = "http://izfhir.org/fhir/StructureDefinition/delivery-task";
    /** {@code Task.reasonCode}: why the registry is due the dose. */
    static final String REASON_SYSTEM = "http://izfhir.org/fhir/CodeSystem/delivery-reason";
    /** {@code Task.identifier}: the VXU's MSH-10, the same on every attempt. */
    static final String CONTROL_ID_SYSTEM = "http://izfhir.org/fhir/sid/message-control-id";
    /** {@code Task.requester}: the submitting client. */
    static final String CLIENT_SYSTEM = "http://izfhir.org/fhir/sid/client";

    private final Registries registries;

    DeliveryViews(Registries registries) {
        this.registries = registries;
    }

    String registryName(String id) {
        return registries.get(id).map(RegistryClient::config).map(c -> c.name()).orElse(id);
    }

    Task task(Delivery delivery) {
        Task task = Profiles.declare(new Task(), Profiles.SUBMISSION_DELIVERY);
        task.setId(delivery.id());
        task.getMeta().setLastUpdated(Date.from(delivery.updatedAt()));
        task.addIdentifier(new Identifier().setSystem(CONTROL_ID_SYSTEM).setValue(delivery.controlId()));
        task.setStatus(delivery.state().taskStatus(delivery.attempts()));
        task.setIntent(Task.TaskIntent.ORDER);
        task.setBusinessStatus(new CodeableConcept(new Coding(DeliveryState.SYSTEM, delivery.state().code(),
                delivery.state().words())).setText(summary(delivery)));
        task.getCode().setText("Report the dose to the registry (VXU^V04)");
        task.setFocus(new Reference("Immunization/" + delivery.doseId()));
        if (delivery.patientId() != null) {
            task.setFor(new Reference("Patient/" + delivery.patientId()));
        }
        task.setAuthoredOn(Date.from(delivery.createdAt()));
        task.setLastModified(Date.from(delivery.updatedAt()));
        task.setRequester(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM)
                .setValue(delivery.submitter())));
        task.setOwner(new Reference().setDisplay(registryName(delivery.registryId()))
                .setIdentifier(new Identifier().setSystem(Consolidator.REGISTRY_ID_SYSTEM).setValue(delivery.registryId())));
        task.setReasonCode(new CodeableConcept(new Coding(REASON_SYSTEM, delivery.reason().code(),
                delivery.reason() == Delivery.Reason.HOME ? "the registry of the patient's home state"
                        : "the registry of the state where the dose was given")));
        task.addInput().setType(new CodeableConcept().setText("attempts"))
                .setValue(new org.hl7.fhir.r4.model.IntegerType(delivery.attempts()));
        if (delivery.state().pending()) {
            task.addInput().setType(new CodeableConcept().setText("next attempt"))
                    .setValue(new InstantType(Date.from(delivery.nextAttemptAt())));
        }
        if (delivery.outcome().hasIssue()) {
            OperationOutcome ack = delivery.outcome().copy();
            ack.setId("ack");
            task.addContained(ack);
            task.addOutput().setType(new CodeableConcept().setText(delivery.state().pending()
                    ? "last attempt" : "acknowledgment")).setValue(new Reference("#ack"));
        }
        return task;
    }

    /** One issue for one registry's delivery of a dose. */
    OperationOutcomeIssueComponent issue(Delivery delivery) {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(delivery.state().severity())
                .setCode(switch (delivery.state()) {
                    case ACCEPTED, ACCEPTED_WITH_WARNINGS -> IssueType.INFORMATIONAL;
                    case QUEUED -> IssueType.TRANSIENT;
                    case REJECTED -> IssueType.BUSINESSRULE;
                    case UNDELIVERABLE -> IssueType.TIMEOUT;
                })
                .setDiagnostics(summary(delivery));
        issue.getDetails().addCoding(new Coding(DeliveryState.SYSTEM, delivery.state().code(), delivery.state().words()))
                .setText(summary(delivery));
        issue.addExtension(RegistryOutcomes.REGISTRY_EXTENSION, new StringType(delivery.registryId()));
        issue.addExtension(DELIVERY_TASK, new Reference("Task/" + delivery.id()));
        return issue;
    }

    /** The answer to one dose's submission: one issue per registry, then the checks' warnings. */
    OperationOutcome outcome(Submissions.Receipt receipt) {
        OperationOutcome outcome = Profiles.declare(new OperationOutcome(), Profiles.REGISTRY_OUTCOME);
        receipt.deliveries().forEach(delivery -> outcome.addIssue(issue(delivery)));
        receipt.warnings().forEach(outcome::addIssue);
        if (!outcome.hasIssue()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("No registry received this dose");
        }
        return outcome;
    }

    private String summary(Delivery delivery) {
        return Submissions.summary(registryName(delivery.registryId()), delivery);
    }
}
