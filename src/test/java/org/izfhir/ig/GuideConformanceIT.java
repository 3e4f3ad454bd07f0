package org.izfhir.ig;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Everything the server says, validated against its Implementation Guide (ig/) and R4 core by
 * HAPI's FhirInstanceValidator: searchsets with their registry outcomes, $everything, forecasts,
 * errors, the CapabilityStatement, a submission's answer and its Tasks. An error fails the test;
 * warnings are counted and printed. The guide's CapabilityStatement and examples are the server's
 * own answers: {@code -Dig.update=true} writes them again, otherwise a difference fails.
 */
@IzFhirServerTest
class GuideConformanceIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path GUIDE = Path.of("ig", "input");
    private static GuideValidator validator;

    @LocalServerPort
    int port;

    private FhirTestClient fhir;

    @BeforeEach
    void validator() throws Exception {
        fhir = new FhirTestClient(port);
        if (validator == null) {
            List<IBaseResource> published = new ArrayList<>();
            for (String url : List.of("http://hl7.org/fhir/sid/cvx", "http://hl7.org/fhir/sid/mvx")) {
                Bundle found = fhir.parse(fhir.get("CodeSystem?url=" + url), Bundle.class);
                found.getEntry().forEach(e -> published.add(e.getResource()));
            }
            validator = new GuideValidator(published);
        }
    }

    private String body(String path, int status, String... headers) {
        HttpResponse<String> response = fhir.get(path, headers);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    @Test
    void whenEveryKindOfAnswerIsValidatedAgainstTheGuideThenNoneHasAnError() throws Exception {
        assertThat(validator.guideResources()).as("the guide's resources in the jar").hasSizeGreaterThan(25);
        Map<String, String> answers = new LinkedHashMap<>();
        String sophia = "patient.family=Rivera&patient.given=Sophia&patient.birthdate=2021-03-14";
        answers.put("consolidated searchset", body("Immunization?" + sophia + "&_count=50", 200));
        Bundle patients = fhir.parse(fhir.get("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14"
                + "&_revinclude=Provenance:target"), Bundle.class);
        answers.put("Patient search with provenance", FHIR.newJsonParser().encodeResourceToString(patients));
        String id = patients.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Patient")).findFirst()
                .orElseThrow().getResource().getIdElement().getIdPart();
        answers.put("$everything", body("Patient/" + id + "/$everything", 200));
        answers.put("forecasts", body("ImmunizationRecommendation?patient=" + id, 200));
        answers.put("evaluations", body("ImmunizationEvaluation?patient=" + id + "&_count=100", 200));
        answers.put("a candidate search", body("Patient?family=Davis&given=Emma&birthdate=2019-09-09", 200));
        answers.put("an error", body("Patient?family=Smith", 400));
        answers.put("an unknown resource", body("Immunization/nobody-imm-1", 404));
        answers.put("metadata", body("metadata", 200));
        HttpResponse<String> forecast = fhir.post("$immds-forecast", "application/fhir+json", """
                {"resourceType":"Parameters","parameter":[{"name":"assessmentDate","valueDate":"2025-11-10"},
                 {"name":"patient","resource":{"resourceType":"Patient","gender":"female","birthDate":"2021-11-10"}},
                 {"name":"immunization","resource":{"resourceType":"Immunization","status":"completed","patient":{"display":"x"},
                  "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"107"}]},"occurrenceDateTime":"2022-02-05"}}]}
                """);
        answers.put("$immds-forecast", forecast.body());

        String ehr = fhir.tokenFor("demo-ehr", "system/*.rs system/Immunization.cud");
        HttpResponse<String> submitted = fhir.post("", "application/fhir+json", """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:7f000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient",
                  "name":[{"family":"Conformance","given":["Quinn"]}],"birthDate":"2024-02-02","gender":"male",
                  "address":[{"use":"home","state":"NY"}]},"request":{"method":"POST","url":"Patient"}},
                 {"fullUrl":"urn:uuid:7f000000-0000-4000-8000-000000000002","resource":{"resourceType":"Location",
                  "name":"Clinic","address":{"state":"NJ"}},"request":{"method":"POST","url":"Location"}},
                 {"resource":{"resourceType":"Immunization","status":"completed","primarySource":true,
                  "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"08"}]},
                  "patient":{"reference":"urn:uuid:7f000000-0000-4000-8000-000000000001"},
                  "location":{"reference":"urn:uuid:7f000000-0000-4000-8000-000000000002"},
                  "occurrenceDateTime":"2025-06-01","lotNumber":"C1","expirationDate":"2027-01-01",
                  "manufacturer":{"identifier":{"system":"http://hl7.org/fhir/sid/mvx","value":"MSD"}}},
                  "request":{"method":"POST","url":"Immunization"}}]}
                """, "Authorization", "Bearer " + ehr);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        answers.put("a submission's answer", submitted.body());
        String dose = fhir.parse(submitted, Bundle.class).getEntry().get(2).getResponse().getLocation().split("/")[1];
        answers.put("a submitted dose", body("Immunization/" + dose, 200, "Authorization", "Bearer " + ehr));
        answers.put("its deliveries", body("Task?focus=Immunization/" + dose, 200, "Authorization", "Bearer " + ehr));
        answers.put("the delivery report", body("Task/$delivery-report", 200, "Authorization", "Bearer " + ehr));

        List<String> errors = new ArrayList<>();
        Map<String, Integer> warnings = new java.util.TreeMap<>();
        for (Map.Entry<String, String> answer : answers.entrySet()) {
            GuideValidator.Findings findings = validator.validate(answer.getKey(), answer.getValue());
            errors.addAll(findings.errors());
            // counted by kind: the message without where it was found and the values it names
            findings.warnings().forEach(w -> warnings.merge(w.replaceAll("^[^:]*: ", "")
                    .replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "#"), 1, Integer::sum));
        }
        List<String> kinds = warnings.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                .map(e -> e.getValue() + " × " + e.getKey()).toList();
        java.nio.file.Files.write(java.nio.file.Path.of("target", "guide-validation-warnings.txt"), kinds);
        System.out.printf("guide validation: %d answers, %d errors, %d warnings of %d kinds (target/guide-validation-warnings.txt)%n",
                answers.size(), errors.size(), warnings.values().stream().mapToInt(Integer::intValue).sum(), kinds.size());
        assertThat(errors).as("validation errors").isEmpty();

        examples(Map.of("Bundle-sophia-consolidated-record.json", answers.get("consolidated searchset"),
                "Parameters-immds-forecast.json", answers.get("$immds-forecast"),
                "Bundle-submission-answer.json", answers.get("a submission's answer")));
    }

    /** The guide's examples are the server's answers (written again with -Dig.update=true); each validates. */
    private void examples(Map<String, String> current) throws Exception {
        Path folder = GUIDE.resolve("examples");
        if (Boolean.getBoolean("ig.update")) {
            Files.createDirectories(folder);
            for (Map.Entry<String, String> example : current.entrySet()) {
                IBaseResource resource = FHIR.newJsonParser().parseResource(example.getValue());
                String name = example.getKey();
                resource.setId(name.substring(name.indexOf('-') + 1, name.length() - ".json".length())); // stable in the guide
                Files.writeString(folder.resolve(name), pretty(FHIR.newJsonParser().encodeResourceToString(resource)));
            }
        }
        for (String name : current.keySet()) {
            Path file = folder.resolve(name);
            assertThat(file).as("the guide's example " + name + " (write it with -Dig.update=true)").exists();
            assertThat(validator.validate(name, Files.readString(file)).errors()).as(name).isEmpty();
        }
    }

    @Test
    void whenTheServedCapabilityStatementIsComparedWithTheGuidesThenTheyAreEqual() throws Exception {
        CapabilityStatement served = comparable(fhir.parse(fhir.get("metadata"), CapabilityStatement.class));
        assertThat(served.getImplementationGuide()).extracting(c -> c.getValue())
                .containsExactly("http://izfhir.org/fhir/ImplementationGuide/org.izfhir.server");
        Path file = GUIDE.resolve("resources").resolve("CapabilityStatement-izfhir-server.json");
        // the guide's addresses are the demo's (the tests run on a random port)
        String text = pretty(FHIR.newJsonParser().encodeResourceToString(served))
                .replace("http://localhost:" + port + "/", "http://localhost:8080/");
        if (Boolean.getBoolean("ig.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
        assertThat(file).as("the guide's CapabilityStatement (write it with -Dig.update=true)").exists();
        assertThat(Files.readString(file)).as("the guide's CapabilityStatement against /fhir/metadata").isEqualTo(text);
        assertThat(validator.validate("the guide's CapabilityStatement", text).errors()).isEmpty();
    }

    /** What varies from one run to the next left out: the date, the build, the address. */
    private static CapabilityStatement comparable(CapabilityStatement statement) {
        statement.setDateElement(new org.hl7.fhir.r4.model.DateTimeType("2026-01-01")); // required; the guide's own
        statement.getSoftware().setVersion(null).setReleaseDate(null);
        statement.setId("izfhir-server");
        statement.setUrl("http://izfhir.org/fhir/CapabilityStatement/izfhir-server");
        return statement;
    }

    private static String pretty(String json) {
        return FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(FHIR.newJsonParser().parseResource(json)) + "\n";
    }
}
