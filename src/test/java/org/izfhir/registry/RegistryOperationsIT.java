package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoFault;
import org.izfhir.demo.DemoProperties.Knobs;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.query.QueryBuilder;
import org.izfhir.registry.RegistryClient.Purpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The server's own registry clients as operators see them: health, metrics, logs; and the demo service's edges. */
@IzFhirServerTest
@ExtendWith(OutputCaptureExtension.class)
class RegistryOperationsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort; // health and metrics
    @Autowired
    DemoRegistries demo;

    @Autowired
    private Registries registries;

    @Test
    void healthHasOneComponentPerRegistryFromItsConnectivityTest() throws Exception {
        String body = "";
        for (int i = 0; i < 20 && !body.contains("\"NJ\":{\"status\":\"UP\""); i++) {
            body = get("/actuator/health/registries").body();
            Thread.sleep(250);
        }
        assertThat(body).contains("\"NJ\":{\"status\":\"UP\"").contains("\"NY\":{\"status\":\"UP\"")
                .contains("\"PA\":{\"status\":\"UP\"");
        assertThat(get("/actuator/health/readiness").body()).doesNotContain("registries");
    }

    @Test
    void callsAreMeasuredPerRegistryAndLoggedWithoutPhi(CapturedOutput output) throws Exception {
        RegistryClient nj = registries.get("NJ").orElseThrow();
        String query = new QueryBuilder().build(nj.config().queryProfile(),
                PersonQuery.of("Johnson", "Marcus", LocalDate.of(1980, 7, 2)), nj.config().header(), "OPS1", "OPS1",
                ZonedDateTime.now(), 10);
        RegistryResult result = nj.send(query, Purpose.QUERY, Instant.now().plusSeconds(5)).join();
        assertThat(result).isInstanceOf(RegistryResult.Answered.class);
        demo.set("NJ", Knobs.faultFor(DemoFault.HTTP_ERROR, 1)); // fails once, answers the retry
        RegistryResult retried = nj.send(query, Purpose.QUERY, Instant.now().plusSeconds(5)).join();
        demo.reset();
        assertThat(retried).isInstanceOf(RegistryResult.Answered.class);

        // a clean answer is counted, not logged; a retried or failed call is logged
        assertThat(output.getOut()).doesNotContain("registry=NJ operation=query outcome=answered status=OK attempts=1")
                .contains("registry=NJ operation=query outcome=answered status=OK attempts=2")
                .doesNotContain("Johnson").doesNotContain("19800702").doesNotContain("Princeton");
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("izfhir_registry_calls_seconds_count\\{[^}]*outcome=\"answered\"[^}]*registry=\"NJ\"");
        assertThat(metrics).contains("izfhir_registry_calls_seconds_bucket{");
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{");
    }

    @Test
    void theDemoServiceAnswersBadRequestsWithSoapFaults() throws Exception {
        HttpResponse<String> garbage = post("/demo-registries/NJ/soap", "this is not XML");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.headers().firstValue("Content-Type").orElse("")).startsWith("application/soap+xml");
        assertThat(garbage.body()).contains("Fault").contains("not well-formed XML");

        String captured = Hl7TestMessages.resource("/hl7/sandbox/qbp_z34_match.hl7.soap.xml");
        HttpResponse<String> nowhere = post("/demo-registries/ZZ/soap", captured);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("No demo registry 'ZZ' here");

        HttpResponse<String> wrongPassword = post("/demo-registries/NJ/soap", captured);
        assertThat(wrongPassword.statusCode()).isEqualTo(400);
        assertThat(wrongPassword.body()).contains("SecurityFault").contains("Username/password combination is unrecognized");
    }

    /** From the management port: health and metrics. */
    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
