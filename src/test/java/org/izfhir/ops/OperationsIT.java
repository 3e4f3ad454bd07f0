package org.izfhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** What an operator relies on: health probes, metrics, the database engine. */
@IzFhirServerTest
class OperationsIT {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext context;

    @LocalManagementPort
    int managementPort;

    /** The management port's client: health and metrics are there, not on the public port. */
    private FhirTestClient client;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(managementPort).anonymous();
    }

    @Test
    void whenHealthOrMetricsAreAskedOnThePublicPortThenTheyAreNotThere() {
        FhirTestClient publicPort = new FhirTestClient(port).anonymous();

        for (String path : java.util.List.of("/actuator/prometheus", "/actuator/health", "/actuator/health/registries")) {
            assertThat(publicPort.get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void whenHealthIsAskedAnonymouslyThenItShowsStatusesOnly() {
        var health = client.get("/actuator/health/registries");

        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("details", "endpoint", "http://");
    }

    @Test
    void whenHealthAskedThenDatabaseIsUp() {
        var health = client.get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"");
    }

    @Test
    void whenProbesAskedThenLivenessAndReadinessAnswer() {
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        var readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"db\"");
    }

    /**
     * A probe that says "not ready" or "broken" with a 200 is no probe: an orchestrator reads the
     * HTTP status. Until the code sets are published the server refuses traffic, and says so.
     */
    @Test
    void whenTheServerRefusesTrafficOrIsBrokenThenItsProbesAnswer503() {
        try {
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            var readiness = client.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("\"status\":\"OUT_OF_SERVICE\"");

            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            var liveness = client.get("/actuator/health/liveness");
            assertThat(liveness.statusCode()).isEqualTo(503);
            assertThat(liveness.body()).contains("\"status\":\"DOWN\"");
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void whenPrometheusScrapesThenServerMetricsAreThere() {
        var metrics = client.get("/actuator/prometheus");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections")
                .contains("http_server_requests");
    }

    @Test
    void whenStoreRunsThenItIsRealPostgres() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }
}
