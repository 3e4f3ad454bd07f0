package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.IzFhirServerTest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.izfhir.record.RecordStore;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

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

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    OAuth2AuthorizationConsentService consents;

    @Autowired
    AuditTrail audit;

    @Autowired
    RecordStore recordStore;

    @Autowired
    OAuth2AuthorizationService authorizations;

    private LaunchBrowser browser;
    private FhirTestClient fhir;
    /** The picker's last choices: Patient id to label. */
    private Map<String, String> people;

    @BeforeEach
    void open() {
        browser = new LaunchBrowser(port);
        fhir = new FhirTestClient(port).anonymous();
        // every test meets the consent page: forget what the demo users consented to before
        String app = clients.findByClientId(LaunchBrowser.APP).getId();
        for (String user : List.of("demo-adult", "demo-parent")) {
            var consent = consents.findById(app, user);
            if (consent != null) {
                consents.remove(consent);
            }
        }
    }

    /** A parent's whole launch: sign in, pick a child, consent; the code exchanged for tokens. */
    private JsonNode launchAsParentFor(String child) {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(PATIENT_SCOPES)));
        assertThat(login.body()).contains("name=\"username\"");
        HttpResponse<String> picker = browser.signIn(login, "demo-parent", "demo");
        Map<String, String> choices = LaunchBrowser.choices(picker.body());
        people = choices;
        assertThat(choices.values()).containsExactly("Linda Wong, born 1991-02-22 (you)",
                "Ava Chen, born 2023-05-10", "Mia Chen, born 2023-05-10");
        assertThat(picker.body()).as("with a choice to make, nobody is chosen").doesNotContain("checked");
        assertThat(picker.body()).as("her son is 15, past Pennsylvania's proxy age in the demo")
                .contains("Leo Chen, born 2011-04-02: from the age of 14 in PA, a person decides who sees their record");
        // the form leads through the authorization endpoint to the app: a returning user's consent is on record
        assertThat(picker.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'self'", "script-src 'none'").endsWith("form-action 'self' http://127.0.0.1:*");
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

    private String personId(String label) {
        return people.entrySet().stream().filter(e -> e.getValue().startsWith(label)).findFirst().orElseThrow().getKey();
    }

    private HttpResponse<String> get(String token, String path) {
        return fhir.get(path, "Authorization", "Bearer " + token, "Cache-Control", "no-cache");
    }

    private long registryCalls() {
        return demo.calls("NJ") + demo.calls("NY") + demo.calls("PA");
    }

    @Test
    void whenPatientTokenReachesForAnyoneElseThenRefusedAndNoRegistryAsked() {
        JsonNode tokens = launchAsParentFor("Ava");
        String token = tokens.path("access_token").asText();
        String ava = tokens.path("patient").asText();
        String mia = personId("Mia");
        long before = registryCalls();
        java.time.Instant start = java.time.Instant.now().minusMillis(1);

        assertThat(get(token, "Patient/" + mia).statusCode()).isEqualTo(404);
        assertThat(get(token, "Patient/" + mia + "/$everything").statusCode()).isEqualTo(404);
        assertThat(get(token, "Immunization/" + mia + "-1").statusCode()).isEqualTo(404);
        HttpResponse<String> search = get(token, "Immunization?patient=" + mia);
        assertThat(search.statusCode()).isEqualTo(403);
        assertThat(search.body()).contains("OperationOutcome", "must name that patient only");
        assertThat(get(token, "Immunization?patient=" + ava + "," + mia).statusCode()).isEqualTo(403);
        assertThat(get(token, "Patient?family=Chen&given=Mia&birthdate=2023-05-10").statusCode()).isEqualTo(403);
        assertThat(get(token, "Patient?_id=" + mia).statusCode()).isEqualTo(403);
        assertThat(get(token, "Immunization?patient.family=Chen&patient.given=Mia&patient.birthdate=2023-05-10")
                .statusCode()).isEqualTo(403);
        assertThat(get(token, "Immunization").statusCode()).isEqualTo(403);
        assertThat(get(token, "Organization").statusCode()).isEqualTo(403);
        HttpResponse<String> match = fhir.post("Patient/$match", "application/fhir+json", """
                {"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient",
                 "name":[{"family":"Chen","given":["Mia"]}],"birthDate":"2023-05-10"}}]}""",
                "Authorization", "Bearer " + token);
        assertThat(match.statusCode()).isEqualTo(403);
        assertThat(registryCalls()).as("registries asked for someone else").isEqualTo(before);

        assertThat(get(token, "Patient/" + ava).statusCode()).isEqualTo(200);
        assertThat(get(token, "Patient?_id=" + ava).statusCode()).isEqualTo(200);
        HttpResponse<String> everything = get(token, "Patient/" + ava + "/$everything");
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(everything.body()).contains("\"family\":\"Chen\"", "\"given\":[\"Ava\"").doesNotContain("Mia");
        HttpResponse<String> withProvenance = get(token, "Immunization?patient=Patient/" + ava
                + "&_revinclude=Provenance:target&_include=Immunization:patient");
        assertThat(withProvenance.statusCode()).isEqualTo(200);
        assertThat(withProvenance.body()).contains("\"resourceType\":\"Provenance\"").doesNotContain("Mia");

        List<org.hl7.fhir.r4.model.AuditEvent> events = audit.since(start);
        assertThat(events).as("one event per request for a record, refusals included").hasSize(14);
        var refusedRead = events.get(0);
        assertThat(refusedRead.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
        assertThat(refusedRead.getOutcome().toCode()).isEqualTo("4");
        assertThat(refusedRead.getEntityFirstRep().getWhat().getReference()).isEqualTo("Patient/" + mia);
        assertThat(refusedRead.getAgent()).extracting(a -> a.getWho().getIdentifier().getValue())
                .contains(LaunchBrowser.APP, "demo-parent");
        assertThat(refusedRead.getAgentFirstRep().getExtensionByUrl(AuditTrail.BALP + "ihe-otherId")).isNotNull();
        var query = events.get(events.size() - 1);
        assertThat(query.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientQuery");
        assertThat(query.getOutcome().toCode()).isEqualTo("0");
        assertThat(query.getEntity()).extracting(e -> e.getWhat().getReference()).contains("Patient/" + ava);
        assertThat(new String(query.getEntity().get(query.getEntity().size() - 1).getQuery())).contains("_revinclude");
    }

    @Test
    void whenUserConsentsToFewerScopesThenTheTokenHasOnlyThose() {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(
                "launch/patient patient/Patient.rs patient/Immunization.rs")));
        HttpResponse<String> consent = browser.signIn(login, "demo-adult", "demo");
        assertThat(LaunchBrowser.choices(consent.body())).as("nobody else to act for: no picker").isEmpty();
        assertThat(LaunchBrowser.offeredScopes(consent.body())).contains("patient/Patient.rs", "patient/Immunization.rs");

        HttpResponse<String> redirect = browser.consent(consent, List.of("patient/Immunization.rs"));
        JsonNode tokens = LaunchBrowser.json(browser.exchange(LaunchBrowser.redirectParameter(redirect, "code")));
        String token = tokens.path("access_token").asText();
        String marcus = tokens.path("patient").asText();

        assertThat(tokens.path("scope").asText()).contains("patient/Immunization.rs").doesNotContain("patient/Patient.rs");
        assertThat(tokens.has("refresh_token")).as("no offline_access asked").isFalse();
        assertThat(get(token, "Immunization?patient=" + marcus).statusCode()).isEqualTo(200);
        HttpResponse<String> patient = get(token, "Patient/" + marcus);
        assertThat(patient.statusCode()).isEqualTo(403);
        assertThat(patient.body()).contains("patient/Patient.r");
    }

    @Test
    void whenRefreshedThenTheSamePatientAndTheOldRefreshTokenIsSpent() {
        JsonNode first = launchAsParentFor("Mia");
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", LaunchBrowser.APP,
                "refresh_token", first.path("refresh_token").asText());

        HttpResponse<String> refreshed = browser.token(refresh);

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = LaunchBrowser.json(refreshed);
        assertThat(second.path("patient").asText()).isEqualTo(first.path("patient").asText());
        assertThat(LaunchBrowser.claims(second.path("access_token").asText()).path("patient").asText())
                .isEqualTo(first.path("patient").asText());
        assertThat(second.path("refresh_token").asText()).isNotEqualTo(first.path("refresh_token").asText());
        assertThat(browser.token(refresh).body()).contains("invalid_grant");
    }

    @Test
    void whenTheRecordIsGoneThenTheAppBackWithItsRefreshTokenFindsItsPatientUnderTheSameId() {
        JsonNode first = launchAsParentFor("Ava");
        String ava = first.path("patient").asText();
        recordStore.delete(ava); // as the retention purge does, days before the app comes back
        assertThat(get(fhir.adminToken(), "Patient/" + ava).statusCode()).as("gone, for anyone else").isEqualTo(404);

        JsonNode refreshed = LaunchBrowser.json(browser.token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.path("refresh_token").asText())));
        HttpResponse<String> patient = get(refreshed.path("access_token").asText(), "Patient/" + ava);

        assertThat(refreshed.path("patient").asText()).isEqualTo(ava);
        assertThat(patient.statusCode()).as(patient.body()).isEqualTo(200);
        assertThat(fhir.parse(patient, Patient.class).getNameFirstRep().getGivenAsSingleString()).startsWith("Ava");
        assertThat(get(refreshed.path("access_token").asText(), "Immunization?patient=" + ava).statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheChildReachesTheProxyAgeThenTheParentsRefreshIsRefused() {
        JsonNode first = launchAsParentFor("Mia");
        OAuth2Authorization authorization = authorizations.findByToken(first.path("refresh_token").asText(),
                OAuth2TokenType.REFRESH_TOKEN);
        OAuth2AuthorizationRequest asked = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        assertThat(asked.getAdditionalParameters().get(PatientLaunch.PROXY_UNTIL)).as("Mia's 14th birthday")
                .isEqualTo("2037-05-10");
        // the years pass: her birthday is today
        authorizations.save(OAuth2Authorization.from(authorization).attribute(OAuth2AuthorizationRequest.class.getName(),
                OAuth2AuthorizationRequest.from(asked).additionalParameters(parameters -> parameters.put(
                        PatientLaunch.PROXY_UNTIL, java.time.LocalDate.now().toString())).build()).build());

        HttpResponse<String> refused = browser.token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.path("refresh_token").asText()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(LaunchBrowser.json(refused).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(LaunchBrowser.json(refused).path("error_description").asText()).contains("proxy age");
    }

    @Test
    void whenCodeReusedOrVerifierWrongThenInvalidGrant() {
        browser.follow(browser.get(browser.authorizeUrl("launch/patient patient/*.rs")));
        HttpResponse<String> consent = browser.signIn(browser.get("/login"), "demo-adult", "demo");
        HttpResponse<String> redirect = browser.consent(consent, List.of("patient/*.rs"));
        String code = LaunchBrowser.redirectParameter(redirect, "code");

        HttpResponse<String> wrongVerifier = browser.token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", LaunchBrowser.REDIRECT, "client_id", LaunchBrowser.APP, "code_verifier",
                browser.verifier + "x"));
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.body()).contains("invalid_grant");
        HttpResponse<String> noVerifier = browser.token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", LaunchBrowser.REDIRECT, "client_id", LaunchBrowser.APP));
        assertThat(noVerifier.statusCode()).isIn(400, 401);
    }

    @Test
    void whenCodeExchangedTwiceThenTheSecondIsRefused() {
        browser.follow(browser.get(browser.authorizeUrl("launch/patient patient/*.rs")));
        HttpResponse<String> consent = browser.signIn(browser.get("/login"), "demo-adult", "demo");
        String code = LaunchBrowser.redirectParameter(browser.consent(consent, List.of("patient/*.rs")), "code");

        HttpResponse<String> first = browser.exchange(code);
        HttpResponse<String> second = browser.exchange(code);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.body()).contains("invalid_grant");
    }

    @Test
    void whenPkcePlainMissingOrAudWrongThenTheAppIsToldWhy() {
        String scopes = "launch/patient patient/*.rs";
        for (String[] bad : List.of(
                new String[] {"code_challenge_method", "plain", "code_challenge", browser.verifier},
                new String[] {"code_challenge", null, "code_challenge_method", null},
                new String[] {"aud", "https://elsewhere.example/fhir"},
                new String[] {"aud", null})) {
            HttpResponse<String> answer = browser.get(browser.authorizeUrl(scopes, bad));

            assertThat(answer.statusCode()).as(String.join(",", bad)).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location").orElse("")).startsWith(LaunchBrowser.REDIRECT);
            assertThat(LaunchBrowser.redirectParameter(answer, "error")).as(String.join(",", bad)).isEqualTo("invalid_request");
        }
        HttpResponse<String> audience = browser.get(browser.authorizeUrl(scopes, "aud", "https://elsewhere.example/fhir"));
        assertThat(LaunchBrowser.redirectParameter(audience, "error_description")).contains("aud", "/fhir");
    }

    @Test
    void whenIntrospectedThenActiveWithThePatient() {
        JsonNode tokens = launchAsParentFor("Ava");
        FhirTestClient admin = new FhirTestClient(port);
        String basic = java.util.Base64.getEncoder().encodeToString("test-admin:test-admin-secret".getBytes());

        HttpResponse<String> introspection = admin.anonymous().post("/oauth2/introspect",
                "application/x-www-form-urlencoded", "token=" + tokens.path("access_token").asText(),
                "Authorization", "Basic " + basic);

        assertThat(introspection.statusCode()).isEqualTo(200);
        JsonNode json = LaunchBrowser.json(introspection);
        assertThat(json.path("active").asBoolean()).isTrue();
        assertThat(json.path("patient").asText()).isEqualTo(tokens.path("patient").asText());
    }

    @Test
    void whenPatientScopesWithoutLaunchThenTheTokenReadsNothing() {
        browser.follow(browser.get(browser.authorizeUrl("patient/*.rs")));
        HttpResponse<String> consent = browser.signIn(browser.get("/login"), "demo-adult", "demo");
        JsonNode tokens = LaunchBrowser.json(browser.exchange(LaunchBrowser.redirectParameter(
                browser.consent(consent, List.of("patient/*.rs")), "code")));

        assertThat(tokens.has("patient")).isFalse();
        HttpResponse<String> answer = get(tokens.path("access_token").asText(), "Patient?family=Johnson&given=Marcus&birthdate=1980-07-02");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("no patient");
    }

    @Test
    void whenARegistryCannotTellAChildFromOthersThenThePickerSaysSoAndShowsNoCandidates() {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(PATIENT_SCOPES)));
        HttpResponse<String> picker = browser.signIn(login, "test-emma-parent", "test");

        assertThat(LaunchBrowser.choices(picker.body()).values()).containsExactly("Olivia Martinez, born 2015-08-30");
        assertThat(picker.body()).as("the only choice is chosen").contains("required checked>");
        assertThat(picker.body()).contains("Emma Davis, born 2019-09-09: a registry needs more details",
                "Rosa Garcia, born 1988-04-12 (you): no registry holds a record")
                .doesNotContain("Brown", "Miller", "Lynn"); // the candidates' mothers and middle name
    }
}
