package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.Socket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the log keeps of clients' errors: one line each, with the status and the kind of error,
 * no stack trace and none of the client's values (a birth date, a name, a parameter, an id, a
 * redirect address); odd URLs answer 400 or 404, never 500; the authorization server's error
 * page is the product's own.
 */
@IzFhirServerTest
class ClientErrorLogIT {

    /** Values the requests below carry: none may reach the log. */
    private static final List<String> CLIENT_VALUES = List.of("03/14/2021", "Zebulon", "Quixote", "shoe-size",
            "elsewhere.example", "evil.example", "a=b", "Spaceship", "not-a-record-9");

    @LocalServerPort
    int port;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private FhirTestClient fhir;

    @BeforeEach
    void capture() {
        fhir = new FhirTestClient(port);
        captured.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(captured);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
    }

    /** A request as sent on the wire, for URLs an HTTP client library would refuse or rewrite. */
    private int rawStatus(String requestLine) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nAuthorization: Bearer " + fhir.adminToken()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void whenClientsErrThenEachIsOneLineWithoutTheirValuesOrAStackTrace() throws Exception {
        assertThat(fhir.get("Patient?family=Zebulon&given=Quixote&birthdate=03/14/2021").statusCode()).isEqualTo(400);
        assertThat(fhir.get("Patient?shoe-size=42").statusCode()).isEqualTo(400);
        assertThat(fhir.get("Spaceship/1").statusCode()).isEqualTo(404);
        assertThat(fhir.get("Patient/not-a-record-9").statusCode()).isEqualTo(404);
        assertThat(fhir.get("Immunization?patient=http://elsewhere.example/fhir/Patient/x").statusCode()).isEqualTo(400);
        assertThat(fhir.post("Organization", "application/fhir+json", "{\"resourceType\": \"Organization\", \"name\": \"Zebulon")
                .statusCode()).isEqualTo(400);
        assertThat(fhir.post("ConceptMap/$hapi.fhir.merge", "application/fhir+json", "{\"resourceType\":\"Parameters\"}")
                .statusCode()).isEqualTo(403);
        LaunchBrowser browser = new LaunchBrowser(port);
        String token = LaunchBrowser.json(launch(browser)).path("access_token").asText();
        assertThat(fhir.get("Patient/not-a-record-9", "Authorization", "Bearer " + token).statusCode()).isEqualTo(404);
        assertThat(fhir.get("Immunization?patient=Patient/not-a-record-9/_history/1", "Authorization", "Bearer " + token)
                .statusCode()).isEqualTo(403);
        assertThat(rawStatus("GET /fhir;a=b/Patient/x HTTP/1.1")).isIn(400, 404);
        assertThat(rawStatus("GET /fhir/Patient/x;a=b HTTP/1.1")).isIn(400, 404);
        assertThat(rawStatus("GET /fhir/Patient%2Fx%2F..%2F..%2Fa=b HTTP/1.1")).isIn(400, 404);
        HttpResponse<String> badRedirect = browser.get(browser.authorizeUrl("launch/patient patient/*.rs",
                "redirect_uri", "https://evil.example/callback"));
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.body()).contains("IZ FHIR Server", "is not registered").doesNotContain("evil.example");

        List<ILoggingEvent> events = List.copyOf(captured.list);
        assertThat(events).as("nothing logged a stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        assertThat(events).as("no client value in the log").allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain(CLIENT_VALUES).doesNotContain("Circular view path"));
        List<String> fhirErrors = events.stream().filter(e -> e.getLoggerName().endsWith(".ErrorLog"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(fhirErrors).as("one line per FHIR error").hasSize(9)
                .contains("400 search-type Patient: InvalidRequestException", "404 read Patient: ResourceNotFoundException",
                        "403 extended-operation-type ConceptMap: ForbiddenOperationException");
    }

    private HttpResponse<String> launch(LaunchBrowser browser) {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl("launch/patient patient/*.rs")));
        HttpResponse<String> next = browser.signIn(login, "demo-adult", "demo");
        HttpResponse<String> redirect = next.statusCode() == 302 ? next
                : browser.consent(next, List.of("launch/patient", "patient/*.rs"));
        return browser.exchange(LaunchBrowser.redirectParameter(redirect, "code"));
    }

    @Test
    void whenTheAuthorizationRequestNamesAnUnknownAppThenThePageSaysSoToAPerson() {
        LaunchBrowser browser = new LaunchBrowser(port);

        HttpResponse<String> page = browser.get(browser.authorizeUrl("launch/patient", "client_id", "no-such-app"));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<html", "IZ FHIR Server", "app").doesNotContain("Whitelabel", "no-such-app");
    }
}
