package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The standalone patient launch as a consumer app and a person meet it, over real HTTP: sign-in,
 * the patient picker of a parent acting for her children, consent with down-scoping, PKCE, the
 * token response, refresh; and what the token then may see: its patient's record, nobody else's,
 * with no registry asked for anyone else (registry calls are counted).
 */
@IzFhirServerTest
class SmartLaunchIT {

    static final String PATIENT_SCOPES = "launch/patient openid fhirUser offline_access patient/*.rs";

    @LocalServerPort
    int port;

    @Autowired
    DemoRegistries demo;

    private LaunchBrowser browser;
    private FhirTestClient fhir;

    @BeforeEach
    void open() {
        browser = new LaunchBrowser(port);
        fhir = new FhirTestClient(port).anonymous();
    }

    /** A parent's whole launch: sign in, pick a child, consent; the code exchanged for tokens. */
    private JsonNode launchAsParentFor(String child) {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(PATIENT_SCOPES)));
        assertThat(login.body()).contains("name=\"username\"");
        HttpResponse<String> picker = browser.signIn(login, "demo-parent", "demo");
        Map<String, String> choices = LaunchBrowser.choices(picker.body());
        assertThat(choices.values()).containsExactly("Linda Wong, born 1991-02-22 (you)",
                "Ava Chen, born 2023-05-10", "Mia Chen, born 2023-05-10");
        String chosen = choices.entrySet().stream().filter(e -> e.getValue().startsWith(child)).findFirst()
                .orElseThrow().getKey();
        HttpResponse<String> consent = browser.pick(picker, chosen);
        List<String> offered = LaunchBrowser.offeredScopes(consent.body());
        assertThat(offered).contains("patient/*.rs", "offline_access");
        HttpResponse<String> redirect = browser.consent(consent, offered);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(LaunchBrowser.redirectParameter(redirect, "state")).startsWith("s-");
        HttpResponse<String> tokens = browser.exchange(LaunchBrowser.redirectParameter(redirect, "code"));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode json = LaunchBrowser.json(tokens);
        assertThat(json.path("patient").asText()).isEqualTo(chosen);
        return json;
    }

    @Test
    void whenParentLaunchesForHerChildThenTheTokenNamesTheChildAndReadsOnlyHerRecord() {
        JsonNode tokens = launchAsParentFor("Ava");
        String ava = tokens.path("patient").asText();
        String token = tokens.path("access_token").asText();

        assertThat(tokens.path("expires_in").asLong()).isBetween(1L, 3600L);
        assertThat(tokens.path("scope").asText()).contains("patient/*.rs", "launch/patient");
        assertThat(tokens.path("refresh_token").asText()).isNotEmpty();
        assertThat(LaunchBrowser.claims(token).path("patient").asText()).isEqualTo(ava);
        JsonNode id = LaunchBrowser.claims(tokens.path("id_token").asText());
        assertThat(id.path("fhirUser").asText()).startsWith("http://localhost:" + port + "/fhir/Patient/")
                .doesNotEndWith("/" + ava);
        HttpResponse<String> doses = fhir.get("Immunization?patient=" + ava, "Authorization", "Bearer " + token);
        assertThat(doses.statusCode()).as(doses.body()).isEqualTo(200);
        assertThat(doses.body()).contains("\"total\":");
    }
}
