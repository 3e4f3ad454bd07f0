package org.izfhir.fhir.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.izfhir.record.ForecastResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The server's own CDSi forecast over real HTTP: on a consolidated record (demo registries, real
 * SOAP and HL7, PostgreSQL), and through {@code $immds-forecast} on the caller's data.
 */
@IzFhirServerTest
class ForecastIT {

    @LocalServerPort
    int port;

    private FhirTestClient client;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(port);
    }

    @Test
    void whenConsolidatedRecordThenOurForecastBesideTheRegistriesOnEveryDose() {
        String id = matches(search("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14"), Patient.class).get(0)
                .getIdPart();

        List<ImmunizationRecommendation> forecasts = matches(search("ImmunizationRecommendation?patient=Patient/" + id),
                ImmunizationRecommendation.class);
        ImmunizationRecommendation ours = forecasts.stream()
                .filter(r -> r.getMeta().getTag(ForecastResources.FORECASTER_TAG, ForecastResources.CDSI) != null)
                .findFirst().orElseThrow();
        assertThat(forecasts).hasSizeGreaterThan(1); // the registries' own, each marked with its registry
        assertThat(forecasts).filteredOn(r -> r != ours).allSatisfy(r ->
                assertThat(r.getMeta().getSource()).startsWith("http://izfhir.org/fhir/CodeSystem/registry/"));

        // Three DTaP-containing doses (NJ and NY, one reported by both) count once each: the next is dose 4.
        ImmunizationRecommendationRecommendationComponent dtap = group(ours, "DTaP/Tdap/Td");
        assertThat(dtap.getVaccineCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("107");
        assertThat(dtap.getDoseNumberPositiveIntType().getValue()).isEqualTo(4);
        assertThat(dtap.getDateCriterion()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .contains("30981-5", "30980-7");
        assertThat(dtap.getForecastStatus().getCoding()).extracting(c -> c.getCode()).containsAnyOf("due", "overdue");
        assertThat(group(ours, "HepA").getDoseNumberPositiveIntType().getValue()).isEqualTo(2);
        assertThat(ours.getRecommendation()).extracting(r -> r.getVaccineCodeFirstRep().getText())
                .contains("MMR", "Varicella", "Polio", "Hib", "Pneumococcal", "HepB", "Influenza");

        List<ImmunizationEvaluation> evaluations = matches(search("ImmunizationEvaluation?patient=Patient/" + id
                + "&_count=200"), ImmunizationEvaluation.class).stream()
                .filter(e -> e.getMeta().getTag(ForecastResources.FORECASTER_TAG, ForecastResources.CDSI) != null)
                .toList();
        List<String> doseIds = matches(search("Immunization?patient=Patient/" + id + "&_count=50"), Immunization.class)
                .stream().filter(d -> d.getStatus() == Immunization.ImmunizationStatus.COMPLETED)
                .map(Resource::getIdPart).toList();
        assertThat(evaluations).extracting(e -> e.getImmunizationEvent().getReferenceElement().getIdPart())
                .containsAll(doseIds).isSubsetOf(doseIds);
        assertThat(evaluations).filteredOn(e -> e.getTargetDisease().getText().equals("Pertussis")).hasSize(3)
                .allSatisfy(e -> assertThat(e.getDoseStatus().getCodingFirstRep().getCode()).isEqualTo("valid"));
    }

    @Test
    void whenRegistryReportsEvidenceOfImmunityThenOurForecastSaysImmune() {
        // PA holds Olivia's history of chickenpox (RXA 998, OBX 59784-9 SNOMED 38907003), no varicella dose.
        String id = matches(search("Patient?family=Martinez&given=Olivia&birthdate=2015-08-30"), Patient.class).get(0)
                .getIdPart();

        ImmunizationRecommendation ours = matches(search("ImmunizationRecommendation?patient=Patient/" + id),
                ImmunizationRecommendation.class).stream()
                .filter(r -> r.getMeta().getTag(ForecastResources.FORECASTER_TAG, ForecastResources.CDSI) != null)
                .findFirst().orElseThrow();
        assertThat(group(ours, "Varicella").getForecastStatus().getCoding()).extracting(c -> c.getCode())
                .contains("immune");
        assertThat(group(ours, "MMR").getForecastStatus().getCoding()).extracting(c -> c.getCode())
                .doesNotContain("immune");
        assertThat(matches(search("Immunization?patient=Patient/" + id), Immunization.class))
                .extracting(i -> i.getVaccineCode().getCodingFirstRep().getCode()).containsExactlyInAnyOrder("03", "130", "03");
    }

    @Test
    void whenImmdsForecastThenRecommendationAndEvaluationsForTheSentHistory() {
        // CDC test case 2013-0028: four DTaP, the fourth at age 4; nothing due until the adolescent dose.
        String request = parameters("2025-11-10", """
                {"resourceType": "Patient", "gender": "female", "birthDate": "2021-11-10"}""",
                dose("2022-02-05", "107"), dose("2022-04-05", "107"), dose("2022-06-05", "107"),
                dose("2025-11-10", "107"));

        HttpResponse<String> response = client.post("$immds-forecast", "application/fhir+json", request);

        assertThat(response.statusCode()).isEqualTo(200);
        Parameters out = client.parse(response, Parameters.class);
        ImmunizationRecommendation recommendation = (ImmunizationRecommendation) out.getParameter("recommendation")
                .getResource();
        ImmunizationRecommendationRecommendationComponent dtap = group(recommendation, "DTaP/Tdap/Td");
        assertThat(dtap.getDoseNumberPositiveIntType().getValue()).isEqualTo(5);
        assertThat(dtap.getDateCriterion()).extracting(c -> c.getCode().getCodingFirstRep().getCode() + "="
                + c.getValueElement().getValueAsString()).containsExactly(
                "30981-5=2032-11-10", "30980-7=2032-11-10", "59778-1=2034-12-07");
        assertThat(out.getParameter()).filteredOn(p -> p.getName().equals("evaluation")).hasSize(12) // 4 doses x D, T, P
                .allSatisfy(p -> assertThat(((ImmunizationEvaluation) p.getResource()).getDoseStatus()
                        .getCodingFirstRep().getCode()).isEqualTo("valid"));
    }

    @Test
    void whenImmdsForecastWithAConditionThenTheRiskSeriesLeads() {
        // CDC test case 2016-UC-0166: four PCV13 by age 2, then asplenia (SNOMED 707147002, CDSi 160):
        // the standard series is complete, the risk series asks for a fifth dose (PPSV23) 8 weeks on.
        String[] doses = {dose("2010-05-21", "133"), dose("2010-07-21", "133"), dose("2010-09-21", "133"),
                dose("2012-05-21", "133")};
        String patient = """
                {"resourceType": "Patient", "gender": "female", "birthDate": "2010-03-21"}""";
        String[] withAsplenia = java.util.Arrays.copyOf(doses, doses.length + 2);
        withAsplenia[doses.length] = condition("http://snomed.info/sct", "707147002");
        withAsplenia[doses.length + 1] = condition("http://snomed.info/sct", "38341003"); // hypertension: not for CDSi

        ImmunizationRecommendationRecommendationComponent healthy = group(immds(parameters("2012-05-21", patient,
                doses)), "Pneumococcal");
        ImmunizationRecommendationRecommendationComponent asplenia = group(immds(parameters("2012-05-21", patient,
                withAsplenia)), "Pneumococcal");

        assertThat(healthy.getForecastStatus().getCoding()).extracting(c -> c.getCode()).contains("complete");
        assertThat(asplenia.getSeries()).isEqualTo("Pneumococcal risk 2-5 years 4-dose series");
        assertThat(asplenia.getDoseNumberPositiveIntType().getValue()).isEqualTo(5);
        assertThat(asplenia.getDateCriterion()).extracting(c -> c.getCode().getCodingFirstRep().getCode() + "="
                + c.getValueElement().getValueAsString()).contains("30981-5=2012-07-16");
        assertThat(asplenia.getVaccineCode()).flatExtracting(c -> c.getCoding()).extracting(c -> c.getCode())
                .contains("33");
    }

    private ImmunizationRecommendation immds(String request) {
        HttpResponse<String> response = client.post("$immds-forecast", "application/fhir+json", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (ImmunizationRecommendation) client.parse(response, Parameters.class).getParameter("recommendation")
                .getResource();
    }

    @Test
    void whenImmdsForecastInputIsWrongThenOperationOutcomeSaysWhat() {
        HttpResponse<String> noBirthDate = client.post("$immds-forecast", "application/fhir+json",
                parameters("2025-11-10", "{\"resourceType\": \"Patient\", \"gender\": \"female\"}"));
        HttpResponse<String> badDoses = client.post("$immds-forecast", "application/fhir+json",
                parameters("2025-11-10", """
                        {"resourceType": "Patient", "gender": "male", "birthDate": "2021-11-10"}""",
                        dose("2021-01-05", "107"), dose("2022-01-05", "9999")));
        HttpResponse<String> noDate = client.post("$immds-forecast", "application/fhir+json", """
                {"resourceType": "Parameters", "parameter": []}""");

        assertThat(noBirthDate.statusCode()).isEqualTo(400);
        assertThat(diagnostics(noBirthDate)).containsExactly("The patient has no birth date; a forecast needs one.");
        assertThat(badDoses.statusCode()).isEqualTo(400);
        assertThat(diagnostics(badDoses)).containsExactly(
                "Immunization #1 is dated 2021-01-05, before the patient's birth date 2021-11-10.",
                "Immunization #2 has CVX 9999, which the CDSi supporting data does not know.");
        assertThat(noDate.statusCode()).isEqualTo(400);
        assertThat(String.join(" ", diagnostics(noDate))).contains("assessmentDate is required", "patient is required");
    }

    private List<String> diagnostics(HttpResponse<String> response) {
        return client.parse(response, OperationOutcome.class).getIssue().stream()
                .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList();
    }

    /** A Parameters body: the assessment date, the patient, then parameters as {@link #dose} and {@link #condition} write them. */
    private static String parameters(String assessmentDate, String patient, String... more) {
        StringBuilder json = new StringBuilder("{\"resourceType\": \"Parameters\", \"parameter\": [")
                .append("{\"name\": \"assessmentDate\", \"valueDate\": \"").append(assessmentDate).append("\"},")
                .append("{\"name\": \"patient\", \"resource\": ").append(patient).append("}");
        for (String parameter : more) {
            json.append(", ").append(parameter);
        }
        return json.append("]}").toString();
    }

    private static String dose(String date, String cvx) {
        return """
                {"name": "immunization", "resource": {"resourceType": "Immunization", "status": "completed",
                 "patient": {"display": "the patient"},
                 "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "%s"}]},
                 "occurrenceDateTime": "%s"}}""".formatted(cvx, date);
    }

    private static String condition(String system, String code) {
        return """
                {"name": "condition", "resource": {"resourceType": "Condition", "subject": {"display": "the patient"},
                 "code": {"coding": [{"system": "%s", "code": "%s"}]}}}""".formatted(system, code);
    }

    private static ImmunizationRecommendationRecommendationComponent group(ImmunizationRecommendation r, String name) {
        return r.getRecommendation().stream().filter(c -> name.equals(c.getVaccineCodeFirstRep().getText()))
                .findFirst().orElseThrow(() -> new AssertionError("no recommendation for " + name));
    }

    private Bundle search(String query) {
        return client.parse(client.get(query), Bundle.class);
    }

    private static <T extends Resource> List<T> matches(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> type.cast(e.getResource())).toList();
    }
}
