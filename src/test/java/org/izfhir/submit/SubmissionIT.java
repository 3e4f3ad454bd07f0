package org.izfhir.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.izfhir.submit.SubmissionFixtures.dose;
import static org.izfhir.submit.SubmissionFixtures.json;
import static org.izfhir.submit.SubmissionFixtures.person;
import static org.izfhir.submit.SubmissionFixtures.transaction;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.model.v251.message.VXU_V04;
import ca.uhn.hl7v2.parser.PipeParser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoFault;
import org.izfhir.demo.DemoProperties;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Dose submission end to end: FHIR in over HTTP, VXU over real SOAP to the demo registries, their
 * ACKs read back into OperationOutcomes and Tasks, the doses then in the registries' histories.
 */
@IzFhirServerTest
class SubmissionIT {

    private static final String JSON = "application/fhir+json";
    private static final LocalDate BORN = LocalDate.of(2024, 1, 15);

    @LocalServerPort
    int port;

    @org.springframework.boot.test.web.server.LocalManagementPort
    int managementPort;

    @Autowired
    DemoRegistries demo;

    @Autowired
    Outbox outbox;

    private FhirTestClient fhir;
    private String ehr;

    @BeforeEach
    void client() {
        fhir = new FhirTestClient(port);
        ehr = fhir.tokenFor("demo-ehr", "system/*.rs system/Immunization.cud");
    }

    @AfterEach
    void resetRegistries() {
        demo.reset();
    }

    private HttpResponse<String> submit(Bundle bundle) {
        return fhir.post("", JSON, json(bundle), "Authorization", "Bearer " + ehr);
    }

    private Bundle accepted(Bundle bundle) {
        HttpResponse<String> response = submit(bundle);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fhir.parse(response, Bundle.class);
    }

    private static OperationOutcome outcomeOf(Bundle answer, int entry) {
        return (OperationOutcome) answer.getEntry().get(entry).getResponse().getOutcome();
    }

    private static OperationOutcomeIssueComponent issueOf(OperationOutcome outcome, String registry) {
        return outcome.getIssue().stream().filter(i -> i.getExtension().stream().anyMatch(e ->
                e.getUrl().equals(org.izfhir.record.RegistryOutcomes.REGISTRY_EXTENSION)
                        && e.getValue().primitiveValue().equals(registry))).findFirst().orElseThrow(() ->
                new AssertionError("no issue for " + registry + " in " + SubmissionFixtures.texts(outcome)));
    }

    private Task task(OperationOutcomeIssueComponent issue) {
        String reference = ((org.hl7.fhir.r4.model.Reference) issue.getExtensionByUrl(
                "http://izfhir.org/fhir/StructureDefinition/delivery-task").getValue()).getReference();
        HttpResponse<String> response = fhir.get(reference, "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fhir.parse(response, Task.class);
    }

    private static OperationOutcome ack(Task task) {
        return (OperationOutcome) task.getContained().get(0);
    }

    @Test
    void whenAnEhrSubmitsAPersonAndTwoDosesThenEachRegistryDueThemAcknowledgesAndTheRecordShowsThem() {
        Patient patient = person("Amara", "NY");
        String family = patient.getNameFirstRep().getFamily();
        Bundle answer = accepted(transaction(patient, "NJ", dose("2025-03-01", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001"),
                dose("2025-05-01", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));

        assertThat(answer.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(answer.getEntry()).hasSize(4);
        assertThat(answer.getEntry().get(0).getResponse().getStatus()).isEqualTo("200 OK");
        for (int entry : new int[] {2, 3}) {
            Bundle.BundleEntryResponseComponent response = answer.getEntry().get(entry).getResponse();
            assertThat(response.getStatus()).isEqualTo("201 Created");
            assertThat(response.getLocation()).matches("Immunization/sub-[0-9a-f]{24}/_history/1");
            OperationOutcome outcome = outcomeOf(answer, entry);
            for (String registry : List.of("NJ", "NY")) {
                OperationOutcomeIssueComponent issue = issueOf(outcome, registry);
                assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION);
                assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("accepted");
                assertThat(issue.getDiagnostics()).startsWith(registry.equals("NJ") ? "New Jersey IIS (demo) accepted the dose"
                        : "New York State IIS (demo) accepted the dose");
                Task task = task(issue);
                assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
                assertThat(task.getOwner().getIdentifier().getValue()).isEqualTo(registry);
                assertThat(task.getReasonCode().getCodingFirstRep().getCode())
                        .isEqualTo(registry.equals("NJ") ? "where-given" : "home");
                assertThat(task.getFocus().getReference()).isEqualTo(response.getLocation().replace("/_history/1", ""));
            }
            assertThat(outcome.getIssue()).noneMatch(i -> i.getExtension().stream()
                    .anyMatch(e -> "PA".equals(e.getValue().primitiveValue())));
        }
        assertThat(demo.doses("NJ", family, BORN)).singleElement().satisfies(doses -> assertThat(doses).hasSize(2));
        assertThat(demo.doses("NY", family, BORN)).singleElement().satisfies(doses -> assertThat(doses).hasSize(2));
        assertThat(demo.doses("PA", family, BORN)).isEmpty();

        Bundle record = fhir.parse(fhir.get("Immunization?patient.family=" + family + "&patient.given=Amara"
                + "&patient.birthdate=2024-01-15", "Authorization", "Bearer " + ehr, "Cache-Control", "no-cache"), Bundle.class);
        assertThat(record.getEntry().stream().filter(e -> e.getResource() instanceof Immunization)).hasSize(2);

        // deliveries by registry and outcome, the backlog and its age, and the outbox's health
        FhirTestClient management = new FhirTestClient(managementPort).anonymous();
        awaitTrue(Duration.ofSeconds(5), () -> management.get("/actuator/prometheus").body()
                .contains("izfhir_submissions_pending"));
        assertThat(management.get("/actuator/prometheus").body()).contains(
                "izfhir_submissions_deliveries_total{outcome=\"accepted\",registry=\"NJ\"}",
                "izfhir_submissions_oldest_pending_seconds");
        assertThat(management.get("/actuator/health").body()).contains("\"submissions\":{\"status\":\"UP\"");
    }

    @Test
    void whenTheRegistryWarnsOrRefusesThenTheAckReadsFieldByField() {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        demo.set("NJ", new DemoProperties.Knobs(Duration.ZERO, DemoFault.WARN, 1.0, 0));
        Bundle warned = accepted(transaction(person("Bea", "NJ"), "NJ", dose("2025-04-02",
                "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));
        OperationOutcomeIssueComponent summary = issueOf(outcomeOf(warned, 2), "NJ");
        assertThat(summary.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
        assertThat(summary.getDetails().getCodingFirstRep().getCode()).isEqualTo("accepted-with-warnings");
        assertThat(summary.getDiagnostics()).isEqualTo("New Jersey IIS (demo) accepted the dose with 1 warning:"
                + " Patient phone number is missing (Patient.telecom)");
        Task task = task(summary);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        OperationOutcomeIssueComponent warning = ack(task).getIssueFirstRep();
        assertThat(warning.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
        assertThat(warning.getCode()).isEqualTo(OperationOutcome.IssueType.REQUIRED);
        assertThat(warning.getExpression()).extracting(Object::toString).containsExactly("Patient.telecom");
        assertThat(warning.getDetails().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("http://terminology.hl7.org/CodeSystem/v2-0357", "101"),
                org.assertj.core.groups.Tuple.tuple("http://terminology.hl7.org/CodeSystem/v2-0533", "5"),
                org.assertj.core.groups.Tuple.tuple("http://izfhir.org/fhir/CodeSystem/registry-error/NJ", "NJ-PHONE-01"));
        assertThat(warning.getDetails().getText()).isEqualTo("Patient phone number is missing");

        demo.set("NJ", new DemoProperties.Knobs(Duration.ZERO, DemoFault.REFUSE, 1.0, 0));
        Patient refusedPerson = person("Cleo", "NJ");
        Bundle refused = accepted(transaction(refusedPerson, "NJ", dose("2025-04-03",
                "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));
        OperationOutcomeIssueComponent no = issueOf(outcomeOf(refused, 2), "NJ");
        assertThat(no.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(no.getDiagnostics()).isEqualTo("New Jersey IIS (demo) rejected the dose: Lot number is not one this"
                + " registry knows for the vaccine (Immunization.lotNumber)");
        Task failed = task(no);
        assertThat(failed.getStatus()).isEqualTo(Task.TaskStatus.FAILED);
        assertThat(failed.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("rejected");
        OperationOutcomeIssueComponent error = ack(failed).getIssueFirstRep();
        assertThat(error.getCode()).isEqualTo(OperationOutcome.IssueType.VALUE);
        assertThat(error.getExpression()).extracting(Object::toString).containsExactly("Immunization.lotNumber");
        assertThat(demo.doses("NJ", refusedPerson.getNameFirstRep().getFamily(), BORN)).isEmpty();

        // the submitter's report counts them by registry, outcome and error code
        HttpResponse<String> report = fhir.get("Task/$delivery-report?start=" + since, "Authorization", "Bearer " + ehr);
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        List<String> rows = fhir.parse(report, org.hl7.fhir.r4.model.Parameters.class).getParameter().stream()
                .filter(p -> p.getName().equals("row")).map(p -> p.getPart().stream().map(part -> part.getValue() instanceof Coding c
                        ? c.getCode() : part.getValue() instanceof org.hl7.fhir.r4.model.Reference r ? r.getIdentifier().getValue()
                        : part.getValue().primitiveValue()).reduce((a, b) -> a + " " + b).orElse("")).toList();
        assertThat(rows).contains("NJ accepted-with-warnings 1", "NJ accepted-with-warnings NJ-PHONE-01 1",
                "NJ rejected 1", "NJ rejected NJ-LOT-07 1", "NJ rejected 102 1");
        HttpResponse<String> csv = fhir.get("Task/$delivery-report?format=csv&start=" + since, "Authorization", "Bearer " + ehr);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("registry,outcome,error_system,error_code,error_text,count\r\n")
                .contains("NJ,rejected,http://izfhir.org/fhir/CodeSystem/registry-error/NJ,NJ-LOT-07,Unknown lot,1\r\n");
    }

    @Test
    void whenTheRegistryIsDownThenTheDoseIsQueuedAndDeliveredOnceWhenItIsBack() {
        demo.set("NY", new DemoProperties.Knobs(Duration.ZERO, DemoFault.HTTP_ERROR, 1.0, 0));
        Patient patient = person("Dara", "NY");
        Bundle answer = accepted(transaction(patient, "NY", dose("2025-06-04", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));
        OperationOutcomeIssueComponent queued = issueOf(outcomeOf(answer, 2), "NY");
        assertThat(queued.getDetails().getCodingFirstRep().getCode()).isEqualTo("queued");
        assertThat(queued.getDiagnostics()).contains("queued and will be sent again").contains("HTTP error");
        String taskId = task(queued).getIdPart();

        HttpResponse<String> undelivered = fhir.get("Task?status=requested,in-progress,failed", "Authorization", "Bearer " + ehr);
        assertThat(fhir.parse(undelivered, Bundle.class).getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains(taskId);

        awaitTrue(Duration.ofSeconds(5), () -> demo.calls("NY") > 0 && outbox.delivery(taskId).orElseThrow().attempts() >= 2);
        demo.reset();
        awaitTrue(Duration.ofSeconds(20), () -> outbox.delivery(taskId).orElseThrow().state() == DeliveryState.ACCEPTED);
        assertThat(demo.doses("NY", patient.getNameFirstRep().getFamily(), BORN)).singleElement()
                .satisfies(doses -> assertThat(doses).hasSize(1));
        Task task = fhir.parse(fhir.get("Task/" + taskId, "Authorization", "Bearer " + ehr), Task.class);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(((org.hl7.fhir.r4.model.IntegerType) task.getInputFirstRep().getValue()).getValue()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whenADeliveryIsSentAgainThenTheRegistryKeepsOneDose() {
        Patient patient = person("Esme", "PA");
        Bundle answer = accepted(transaction(patient, "PA", dose("2025-02-05", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));
        String taskId = task(issueOf(outcomeOf(answer, 2), "PA")).getIdPart();
        Delivery delivered = outbox.delivery(taskId).orElseThrow();
        // as after a kill between the send and the recording of its ACK: queued again, sent again as it was
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update(
                "UPDATE izfhir_delivery SET state = 'queued', next_attempt_at = now() WHERE id = ?", taskId);
        awaitTrue(Duration.ofSeconds(10), () -> outbox.delivery(taskId).orElseThrow().state() == DeliveryState.ACCEPTED
                && outbox.delivery(taskId).orElseThrow().attempts() == 2);
        assertThat(outbox.delivery(taskId).orElseThrow().message()).isEqualTo(delivered.message());
        assertThat(demo.doses("PA", patient.getNameFirstRep().getFamily(), BORN)).singleElement()
                .satisfies(doses -> assertThat(doses).hasSize(1));
    }

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void whenADoseIsCorrectedThenDeletedThenEachRegistryUpdatesThenDropsItsDose() throws Exception {
        Patient patient = person("Faye", "NJ");
        String family = patient.getNameFirstRep().getFamily();
        Immunization dose = dose("2025-07-06", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001");
        Bundle answer = accepted(transaction(patient, "NJ", dose));
        String id = answer.getEntry().get(2).getResponse().getLocation().split("/")[1];

        HttpResponse<String> read = fhir.get("Immunization/" + id, "Authorization", "Bearer " + ehr);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        Immunization served = fhir.parse(read, Immunization.class);
        served.setLotNumber("CORRECTED1");
        served.setLocation(null);
        served.addContained(SubmissionFixtures.location("NJ").setId("where"));
        served.setLocation(new org.hl7.fhir.r4.model.Reference("#where"));
        HttpResponse<String> put = fhir.put("Immunization/" + id, JSON, json(served), "Authorization", "Bearer " + ehr);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(fhir.parse(put, OperationOutcome.class).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo("accepted");
        List<String> kept = demo.doses("NJ", family, BORN).get(0);
        assertThat(kept).singleElement().satisfies(rxa -> assertThat(rxa).contains("|CORRECTED1|").endsWith("|U"));

        VXU_V04 vxu = (VXU_V04) new PipeParser(new DefaultHapiContext()).parse(outbox.deliveries(new Outbox.Filter(null,
                List.of(id), null, null, null, null, 10)).get(0).message().replace('\r', '\r'));
        assertThat(vxu.getORDER().getORC().getFillerOrderNumber().getEntityIdentifier().getValue()).isEqualTo(id);
        assertThat(vxu.getORDER().getRXA().getActionCodeRXA().getValue()).isEqualTo("U");
        assertThat(vxu.getPID().getPatientIdentifierList(1).getIdentifierTypeCode().getValue()).isEqualTo("PI");

        HttpResponse<String> delete = fhir.delete("Immunization/" + id, "Authorization", "Bearer " + ehr);
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
        assertThat(demo.doses("NJ", family, BORN).get(0)).isEmpty();
        Immunization deleted = fhir.parse(fhir.get("Immunization/" + id, "Authorization", "Bearer " + ehr), Immunization.class);
        assertThat(deleted.getStatus()).isEqualTo(Immunization.ImmunizationStatus.ENTEREDINERROR);
        assertThat(deleted.getMeta().getVersionId()).isEqualTo("3");
    }

    @Test
    void whenADoseIsPostedForAStoredPatientThenItGoesToTheirRegistries() {
        Patient patient = person("Gwen", "NJ");
        accepted(transaction(patient, "NJ", dose("2025-01-07", "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001")));
        Bundle found = fhir.parse(fhir.get("Patient?family=" + patient.getNameFirstRep().getFamily()
                + "&given=Gwen&birthdate=2024-01-15", "Authorization", "Bearer " + ehr), Bundle.class);
        String patientId = found.getEntry().stream().filter(e -> e.getResource() instanceof Patient).findFirst()
                .orElseThrow().getResource().getIdElement().getIdPart();

        Immunization second = dose("2025-03-07", "Patient/" + patientId);
        second.addContained(SubmissionFixtures.location("NJ").setId("where"));
        second.setLocation(new org.hl7.fhir.r4.model.Reference("#where"));
        HttpResponse<String> created = fhir.post("Immunization", JSON, json(second), "Authorization", "Bearer " + ehr);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElse("")).contains("/Immunization/sub-");
        OperationOutcome outcome = fhir.parse(created, OperationOutcome.class);
        assertThat(issueOf(outcome, "NJ").getDetails().getCodingFirstRep().getCode()).isEqualTo("accepted");
        assertThat(demo.doses("NJ", patient.getNameFirstRep().getFamily(), BORN).get(0)).hasSize(2);

        Bundle tasks = fhir.parse(fhir.get("Task?focus=" + created.headers().firstValue("Location").orElseThrow()
                .replaceAll(".*/(Immunization/[^/]+)/_history.*", "$1") + "&owner=NJ&status=completed&_lastUpdated=ge2025-01-01",
                "Authorization", "Bearer " + ehr), Bundle.class);
        assertThat(tasks.getEntry()).hasSize(1);
        assertThat(((Task) tasks.getEntryFirstRep().getResource()).getFor().getReference()).isEqualTo("Patient/" + patientId);
    }

    static void awaitTrue(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not true within " + limit);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
