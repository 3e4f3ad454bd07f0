package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.izfhir.IzFhirServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a browser app on another origin meets, at the HTTP level: CORS preflights and answers on
 * the FHIR API, discovery, the token, revocation and key endpoints (bearer-token APIs: no
 * credentials, any origin); and the token endpoint as SMART's JavaScript client uses it: a public
 * client refreshing with the refresh token alone, and every error an OAuth JSON error whatever the
 * {@code Accept} header.
 */
@IzFhirServerTest
class BrowserAccessIT {

    private static final String APP_ORIGIN = "http://127.0.0.1:5173";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private HttpResponse<String> preflight(String path, String method, String headers) throws Exception {
        return send(at(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", APP_ORIGIN)
                .header("Access-Control-Request-Method", method).header("Access-Control-Request-Headers", headers));
    }

    @Test
    void whenABrowserAppPreflightsAnyFhirOrAuthorizationCallThenItIsAllowedWithoutCredentials() throws Exception {
        for (String[] call : List.of(
                new String[] {"/fhir/Patient/p1", "GET", "authorization"},
                new String[] {"/fhir/metadata", "GET", "accept"},
                new String[] {"/fhir/Immunization/_search", "POST", "authorization, content-type"},
                new String[] {"/fhir/.well-known/smart-configuration", "GET", "accept"},
                new String[] {"/oauth2/token", "POST", "content-type"},
                new String[] {"/oauth2/revoke", "POST", "content-type"},
                new String[] {"/oauth2/jwks", "GET", "accept"},
                new String[] {"/.well-known/jwks.json", "GET", "accept"})) {
            HttpResponse<String> answer = preflight(call[0], call[1], call[2]);

            assertThat(answer.statusCode()).as(String.join(" ", call) + ": " + answer.body()).isIn(200, 204);
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as(call[0]).isPresent();
            assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).as(call[0]).isEmpty();
            assertThat(answer.headers().firstValue("Access-Control-Allow-Methods").orElse("")).as(call[0]).contains(call[1]);
        }
    }

    @Test
    void whenABrowserAppReadsTheFhirApiThenTheAnswerCarriesCorsAndExposesTheHeadersAppsRead() throws Exception {
        HttpResponse<String> metadata = send(at("/fhir/metadata").header("Origin", APP_ORIGIN));
        HttpResponse<String> unauthorized = send(at("/fhir/Patient/p1").header("Origin", APP_ORIGIN));

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin")).as("an app reads why it was refused")
                .isPresent();
        assertThat(unauthorized.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .contains("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate");
    }

    @Test
    void whenAPublicAppRefreshesWithTheRefreshTokenAloneThenItGetsNewTokensForTheSamePatient() throws Exception {
        LaunchBrowser browser = new LaunchBrowser(port);
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(
                "launch/patient offline_access patient/*.rs")));
        HttpResponse<String> next = browser.signIn(login, "demo-adult", "demo");
        HttpResponse<String> redirect = next.statusCode() == 302 ? next
                : browser.consent(next, List.of("launch/patient", "offline_access", "patient/*.rs"));
        JsonNode first = LaunchBrowser.json(browser.exchange(LaunchBrowser.redirectParameter(redirect, "code")));

        HttpResponse<String> refreshed = send(at("/oauth2/token").header("Origin", APP_ORIGIN)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                        + java.net.URLEncoder.encode(first.path("refresh_token").asText(), java.nio.charset.StandardCharsets.UTF_8))));

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        JsonNode second = LaunchBrowser.json(refreshed);
        assertThat(second.path("patient").asText()).isEqualTo(first.path("patient").asText());
        assertThat(second.path("access_token").asText()).isNotEmpty();
    }

    @Test
    void whenTheTokenEndpointsRefuseThenTheAnswerIsAnOAuthJsonErrorWhateverTheAcceptHeader() throws Exception {
        Map<String, String> cases = Map.of(
                "/oauth2/token", "grant_type=refresh_token&refresh_token=not-a-token",
                "/oauth2/revoke", "token=not-a-token",
                "/oauth2/introspect", "token=not-a-token");
        for (Map.Entry<String, String> call : cases.entrySet()) {
            for (String accept : List.of("*/*", "text/html", "application/json")) {
                HttpResponse<String> answer = send(at(call.getKey()).header("Accept", accept)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(call.getValue())));

                assertThat(answer.statusCode()).as(call.getKey() + " " + accept).isIn(400, 401);
                assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(call.getKey() + " " + accept)
                        .startsWith("application/json");
                assertThat(answer.body()).as(call.getKey() + " " + accept).contains("\"error\"");
            }
        }
    }
}
