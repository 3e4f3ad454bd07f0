package org.izfhir.fhir.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every error a client can cause answers with an OperationOutcome and the right 4xx. */
@IzFhirServerTest
class FhirErrorsIT {

    @LocalServerPort
    int port;

    private FhirTestClient client;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(port);
    }

    @Test
    void whenResourceTypeUnknownThen404Outcome() {
        assertOutcome(client.get("Spaceship/1"), 404, "Unknown resource type 'Spaceship'");
    }

    @Test
    void whenResourceMissingThen404Outcome() {
        assertOutcome(client.get("Patient/does-not-exist"), 404, "Patient/does-not-exist");
    }

    @Test
    void whenSearchParameterUnknownThen400OutcomeListingValidOnes() {
        assertOutcome(client.get("Patient?shoe-size=42"), 400, "shoe-size");
    }

    @Test
    void whenSearchParameterMalformedThen400Outcome() {
        assertOutcome(client.get("Patient?birthdate=yesterday"), 400, "yesterday");
    }

    @Test
    void whenJsonBodyMalformedThen400Outcome() {
        assertOutcome(client.post("Organization", "application/fhir+json", "{\"resourceType\": \"Organization\", "), 400,
                "Failed to parse request body as JSON");
    }

    @Test
    void whenXmlBodyMalformedThen400Outcome() {
        assertOutcome(client.post("Organization", "application/fhir+xml", "<Organization xmlns=\"http://hl7.org/fhir\"><name>"),
                400, "Failed to parse request body as XML");
    }

    @Test
    void whenBodyIsAnotherResourceTypeThen400Outcome() {
        assertOutcome(client.post("Organization", "application/fhir+json", "{\"resourceType\":\"Observation\"}"), 400,
                "expected \"Organization\"");
    }

    @Test
    void whenMediaTypeUnsupportedThen415Outcome() {
        assertOutcome(client.post("Patient", "text/plain", "Jane Doe, born 2019"), 415, "text/plain");
    }

    @Test
    void whenFormPostedToSearchThenItIsNotRefused() {
        HttpResponse<String> response = client.post("Organization/_search", "application/x-www-form-urlencoded", "name=Nobody");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void whenXmlClientErrsThenOutcomeIsXml() {
        HttpResponse<String> response = client.get("Spaceship/1", "Accept", "application/fhir+xml");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).startsWith("<OperationOutcome");
    }

    private void assertOutcome(HttpResponse<String> response, int status, String diagnostics) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().containsAnyOf("fhir+json", "fhir+xml");
        OperationOutcome outcome = client.parse(response, OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(diagnostics);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    }
}
