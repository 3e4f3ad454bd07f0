package org.izfhir.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.izfhir.submit.SubmissionFixtures.dose;
import static org.izfhir.submit.SubmissionFixtures.json;
import static org.izfhir.submit.SubmissionFixtures.person;
import static org.izfhir.submit.SubmissionFixtures.transaction;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.izfhir.hl7.CodingSystems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What is refused before anything is sent: each data check of the IIP's validation, routing that
 * finds no registry, and hostile requests. Each answer is a 4xx OperationOutcome and no registry
 * receives a call.
 */
@IzFhirServerTest
class SubmissionChecksIT {

    private static final String JSON = "application/fhir+json";
    private static final String PATIENT = "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001";

    @LocalServerPort
    int port;

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

    private long registryCalls() {
        return demo.ids().stream().mapToLong(demo::calls).sum();
    }

    /** Submits a person living in NJ and one dose given in NJ, both changed first; asserts a refusal sending nothing. */
    private OperationOutcome refused(int status, Consumer<Patient> person, Consumer<Immunization> dose) {
        Patient patient = person("Hana", "NJ");
        Immunization immunization = dose("2025-05-05", PATIENT);
        person.accept(patient);
        dose.accept(immunization);
        return refused(status, json(transaction(patient, "NJ", immunization)), ehr);
    }

    private OperationOutcome refused(int status, String body, String token) {
        long before = registryCalls();
        HttpResponse<String> response = fhir.post("", JSON, body, "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(registryCalls()).as("registry calls").isEqualTo(before);
        return fhir.parse(response, OperationOutcome.class);
    }

    private static void hasError(OperationOutcome outcome, String expression, String words) {
        assertThat(outcome.getIssue()).as(SubmissionFixtures.texts(outcome).toString()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getExpression()).extracting(StringType::getValue).contains(expression);
            assertThat(issue.getDiagnostics()).contains(words);
        });
    }

    @Test
    void whenADoseBreaksADataRuleThenNothingIsSentAndEachProblemIsNamedWhereItIs() {
        Map<String, Object[]> rules = new java.util.LinkedHashMap<>();
        rules.put("future dose", new Object[] {(Consumer<Immunization>) d -> d.setOccurrence(
                new DateTimeType(LocalDate.now().plusDays(3).toString())), "Immunization.occurrence", "in the future"});
        rules.put("before birth", new Object[] {(Consumer<Immunization>) d -> d.setOccurrence(new DateTimeType("2023-12-01")),
                "Immunization.occurrence", "before the patient's birth date"});
        rules.put("expired lot", new Object[] {(Consumer<Immunization>) d -> d.setExpirationDateElement(new DateType("2025-01-01")),
                "Immunization.expirationDate", "expired"});
        rules.put("unknown CVX", new Object[] {(Consumer<Immunization>) d -> d.getVaccineCode().getCodingFirstRep().setCode("999999"),
                "Immunization.vaccineCode", "not a CDC vaccine code"});
        rules.put("inactive CVX", new Object[] {(Consumer<Immunization>) d -> d.getVaccineCode().getCodingFirstRep().setCode("01"),
                "Immunization.vaccineCode", "inactive"});
        rules.put("unknown NDC", new Object[] {(Consumer<Immunization>) d -> d.getVaccineCode().addCoding(
                new Coding(CodingSystems.NDC, "00000-0000-00", null)), "Immunization.vaccineCode", "NDC"});
        rules.put("CVX and MVX apart", new Object[] {(Consumer<Immunization>) d -> d.getManufacturer().getIdentifier().setValue("PMC"),
                "Immunization.manufacturer", "made by MVX PMC"});
        rules.put("unknown MVX", new Object[] {(Consumer<Immunization>) d -> d.getManufacturer().getIdentifier().setValue("ZZQ"),
                "Immunization.manufacturer", "not a CDC manufacturer"});
        rules.put("no vaccine code", new Object[] {(Consumer<Immunization>) d -> d.setVaccineCode(new CodeableConcept().setText("flu")),
                "Immunization.vaccineCode", "CVX"});
        rules.put("refusal without reason", new Object[] {(Consumer<Immunization>) d -> d.setStatus(
                Immunization.ImmunizationStatus.NOTDONE), "Immunization.statusReason", "reason"});
        for (Map.Entry<String, Object[]> rule : rules.entrySet()) {
            @SuppressWarnings("unchecked")
            Consumer<Immunization> change = (Consumer<Immunization>) rule.getValue()[0];
            OperationOutcome outcome = refused(422, p -> { }, change);
            hasError(outcome, (String) rule.getValue()[1], (String) rule.getValue()[2]);
        }
        hasError(refused(422, p -> p.getNameFirstRep().setFamily(null), d -> { }), "Patient.name", "family and given");
        hasError(refused(422, p -> p.setBirthDate(null), d -> { }), "Patient.birthDate", "birth date is required");
        hasError(refused(422, p -> p.setBirthDateElement(new DateType(LocalDate.now().plusDays(2).toString())), d -> { }),
                "Patient.birthDate", "in the future");
    }

    @Test
    void whenTheDoseIsHistoricalOrWarnedAboutThenItIsSentAndTheWarningsReported() {
        Patient patient = person("Baby Boy", "NJ");
        patient.getNameFirstRep().getGiven().clear();
        patient.getNameFirstRep().addGiven("Baby").addGiven("Boy");
        patient.addExtension("http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", new StringType("Quinlan"));
        patient.getIdentifier().clear();
        Immunization historical = dose("2025-02-02", PATIENT);
        historical.setPrimarySource(false);
        historical.getVaccineCode().getCodingFirstRep().setCode("01"); // inactive, fine for a dose given long ago elsewhere
        historical.setLotNumber(null);
        HttpResponse<String> response = fhir.post("", JSON, json(transaction(patient, "NJ", historical)),
                "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        OperationOutcome outcome = (OperationOutcome) fhir.parse(response, Bundle.class).getEntry().get(2).getResponse().getOutcome();
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Patient.name");
            assertThat(issue.getDiagnostics()).contains("not a legal name");
        });

        // an administered dose at an age CDC's schedule does not count it (HPV at 18 months), and a refusal: warned, sent
        Patient toddler = person("Ivy", "NJ");
        Immunization hpv = dose("2025-07-15", PATIENT);
        hpv.getVaccineCode().getCodingFirstRep().setCode("165");
        hpv.getManufacturer().getIdentifier().setValue("MSD");
        Immunization refusal = dose("2025-07-15", PATIENT);
        refusal.setStatus(Immunization.ImmunizationStatus.NOTDONE).setStatusReason(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActReason", "PATOBJ", "patient objection")));
        response = fhir.post("", JSON, json(transaction(toddler, "NJ", hpv, refusal)), "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        OperationOutcome young = (OperationOutcome) fhir.parse(response, Bundle.class).getEntry().get(2).getResponse().getOutcome();
        assertThat(SubmissionFixtures.texts(young)).contains("warning: CVX 165 given at 18 months of age is outside the ages"
                + " at which CDC's schedule (CDSi) takes it");
        assertThat(demo.doses("NJ", toddler.getNameFirstRep().getFamily(), LocalDate.of(2024, 1, 15)).get(0))
                .anySatisfy(rxa -> assertThat(rxa).contains("|RE|"));

        // the legal name follows for the same birth date and mother: the same patient at the registry
        Patient named = patient.copy();
        named.getNameFirstRep().getGiven().clear();
        named.getNameFirstRep().addGiven("Theo");
        response = fhir.post("", JSON, json(transaction(named, "NJ", dose("2025-03-03", PATIENT))), "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<List<String>> people = demo.doses("NJ", patient.getNameFirstRep().getFamily(), LocalDate.of(2024, 1, 15));
        assertThat(people).as("one person at the registry, with both doses").singleElement()
                .satisfies(doses -> assertThat(doses).hasSize(2));
    }

    @Test
    void whenTheHomeStateHasNoRegistryThenTheDoseGoesWhereItWasGivenAndTheAnswerNamesTheState() {
        Patient texan = person("Omar", "TX");
        HttpResponse<String> response = fhir.post("", JSON, json(transaction(texan, "PA", dose("2025-05-05", PATIENT))),
                "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        OperationOutcome outcome = (OperationOutcome) fhir.parse(response, Bundle.class).getEntry().get(2).getResponse().getOutcome();
        assertThat(SubmissionFixtures.texts(outcome)).containsExactly(
                "information: Pennsylvania SIIS (demo, through the demo IZ Gateway hub) accepted the dose",
                "warning: No registry configured here serves TX: the dose is not sent there");
    }

    @Test
    void whenHostileRequestsArriveThenEachGetsAClearRefusalAndNothingIsSent() {
        Bundle huge = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 10_000; i++) {
            huge.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(dose("2025-01-01", PATIENT))
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Immunization");
        }
        OperationOutcome tooBig = refused(413, json(huge), ehr);
        assertThat(tooBig.getIssueFirstRep().getDiagnostics()).contains("at most 100 entries");

        Patient texas = person("Ines", "TX");
        Immunization inTexas = dose("2025-01-01", PATIENT);
        hasError(refused(422, json(transaction(texas, "TX", inTexas)), ehr), "Immunization.location", "TX");

        Immunization orphan = dose("2025-01-01", PATIENT);
        orphan.setPatient(null);
        hasError(refused(422, json(transaction(person("Jon", "NJ"), "NJ", orphan)), ehr), "Immunization.patient",
                "needs its patient");
        Immunization elsewhere = dose("2025-01-01", "https://other.example.org/fhir/Patient/123");
        hasError(refused(422, json(transaction(person("Kai", "NJ"), "NJ", elsewhere)), ehr), "Immunization.patient",
                "another server");
        Immunization unknown = dose("2025-01-01", "Patient/no-such-record");
        hasError(refused(422, json(transaction(person("Lea", "NJ"), "NJ", unknown)), ehr), "Immunization.patient",
                "not a record of this server");

        String readOnly = fhir.tokenFor("test-organizations", "system/Organization.rs system/Immunization.rs");
        OperationOutcome forbidden = refused(403, json(transaction(person("Max", "NJ"), "NJ", dose("2025-01-01", PATIENT))),
                readOnly);
        assertThat(forbidden.getIssueFirstRep().getDiagnostics()).contains("system/Immunization.c");

        Bundle batch = transaction(person("Noa", "NJ"), "NJ", dose("2025-01-01", PATIENT)).setType(Bundle.BundleType.BATCH);
        refused(400, json(batch), ehr);
    }

    @Test
    void whenTextFieldsHoldHl7DelimitersThenTheVxuEscapesThemAndTheRegistryKeepsThemAsSent() {
        Patient patient = person("Zoë|^~\\&", "NJ");
        patient.getAddressFirstRep().getLine().get(0).setValue("1 Pipe|Caret^ Rd ~ & \\ Suite");
        Immunization immunization = dose("2025-08-08", PATIENT);
        immunization.setLotNumber("L|^~\\&1");
        immunization.setIdentifier(List.of(new Identifier().setValue("ORD|1")));
        immunization.setLocation(null);
        HttpResponse<String> response = fhir.post("", JSON, json(transaction(patient, "NJ", immunization)),
                "Authorization", "Bearer " + ehr);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = fhir.parse(response, Bundle.class).getEntry().get(2).getResponse().getLocation().split("/")[1];
        Delivery delivery = outbox.deliveries(new Outbox.Filter(null, List.of(id), null, null, null, null, 5)).get(0);
        assertThat(delivery.state()).isEqualTo(DeliveryState.ACCEPTED);
        String vxu = delivery.message();
        assertThat(vxu.split("\r")).filteredOn(s -> s.startsWith("PID")).singleElement().satisfies(pid ->
                assertThat(pid).contains("Zo\u00eb\\F\\\\S\\\\R\\\\E\\\\T\\").contains("1 Pipe\\F\\Caret\\S\\ Rd \\R\\ \\T\\ \\E\\ Suite"));
        assertThat(vxu).contains("|L\\F\\\\S\\\\R\\\\E\\\\T\\1|");
        List<List<String>> kept = demo.doses("NJ", patient.getNameFirstRep().getFamily(), LocalDate.of(2024, 1, 15));
        assertThat(kept.get(0)).singleElement().satisfies(rxa -> assertThat(rxa).contains("L\\F\\\\S\\\\R\\\\E\\\\T\\1"));
    }
}
