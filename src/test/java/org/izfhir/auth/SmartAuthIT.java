package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * SMART on FHIR as backend services and apps meet it, over real HTTP: discovery, the token
 * endpoint, and the FHIR API refusing requests without the right token before any registry is
 * asked (registry calls are counted).
 */
@IzFhirServerTest
@ExtendWith(OutputCaptureExtension.class)
class SmartAuthIT {

    private static final String MARCUS = "Patient?family=Johnson&given=Marcus&birthdate=1980-07-02";

    @LocalServerPort
    int port;

    @Autowired
    DemoRegistries demo;

    @Autowired
    TokenKeys keys;

    @Autowired
    org.springframework.context.ConfigurableApplicationContext context;

    @Autowired
    AuthStore store;

    @Autowired
    javax.sql.DataSource dataSource;

    private FhirTestClient client;
    private FhirTestClient anonymous;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(port);
        anonymous = client.anonymous();
    }

    @Test
    void whenSecurityFiltersRunThenNoMvcHandlerLookupBeforeThem() {
        var filters = ((org.springframework.beans.factory.support.BeanDefinitionRegistry) context.getBeanFactory())
                .getBeanDefinition("springSecurityFilterChain").getConstructorArgumentValues()
                .getIndexedArgumentValue(0, null);

        assertThat(filters).isNotNull();
        assertThat((java.util.List<?>) filters.getValue()).singleElement().asString()
                .doesNotContain("HandlerMappingIntrospector");
    }

    @Test
    void whenDiscoveryAskedThenJsonWhateverTheAcceptHeaderWithHonestCapabilities() {
        HttpResponse<String> discovery = anonymous.get(".well-known/smart-configuration", "Accept", "text/html",
                "Origin", "https://app.example");

        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(discovery.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        assertThat(discovery.body()).contains("\"token_endpoint\":\"http://localhost:" + port + "/oauth2/token\"",
                "\"jwks_uri\"", "\"introspection_endpoint\"", "\"revocation_endpoint\"",
                "\"authorization_endpoint\":\"http://localhost:" + port + "/oauth2/authorize\"",
                "\"grant_types_supported\":[\"authorization_code\",\"refresh_token\",\"client_credentials\"]",
                "\"code_challenge_methods_supported\":[\"S256\"]", "\"launch-standalone\"", "\"client-public\"",
                "\"context-standalone-patient\"", "\"permission-patient\"", "\"permission-offline\"",
                "\"sso-openid-connect\"", "\"permission-v2\"", "\"permission-v1\"", "\"client-confidential-symmetric\"");
        assertThat(discovery.body()).doesNotContain("plain", "launch-ehr");
    }

    @Test
    void whenCapabilitiesAskedWithoutTokenThenTheyNameSmartAndTheTokenEndpoint() {
        HttpResponse<String> metadata = anonymous.get("metadata");

        assertThat(metadata.statusCode()).isEqualTo(200);
        CapabilityStatement capabilities = anonymous.parse(metadata, CapabilityStatement.class);
        var security = capabilities.getRestFirstRep().getSecurity();
        assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
        assertThat(security.getExtensionByUrl(SmartCapabilityInterceptor.OAUTH_URIS).getExtensionByUrl("token")
                .getValue().primitiveValue()).isEqualTo("http://localhost:" + port + "/oauth2/token");
    }

    @Test
    void whenNoTokenThenUnauthorizedWithOperationOutcomeAndNoRegistryAsked() {
        long before = registryCalls();

        HttpResponse<String> response = anonymous.get(MARCUS, "Cache-Control", "no-cache");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(response.body()).contains("OperationOutcome", "needs an access token");
        assertThat(registryCalls()).isEqualTo(before);
    }

    @Test
    void whenBackendServiceAsksWithItsSecretThenShortLivedTokenThatReadsTheRecord() {
        HttpResponse<String> token = client.token("demo-ehr", "demo-ehr-secret", "system/*.rs");

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(token.body()).contains("\"token_type\":\"Bearer\"", "\"scope\":\"system/*.rs\"");
        int expiresIn = Integer.parseInt(token.body().replaceAll(".*\"expires_in\":(\\d+).*", "$1"));
        assertThat(expiresIn).isBetween(60, 300);

        HttpResponse<String> search = client.get(MARCUS, "Authorization", "Bearer " + FhirTestClient.accessToken(token));
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(search.body()).contains("\"family\":\"Johnson\"");
    }

    @Test
    void whenClientCredentialsWrongOrScopeBeyondRegistrationThenOAuthErrors() {
        HttpResponse<String> wrongSecret = client.token("demo-ehr", "guess", "system/*.rs");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("invalid_client");

        HttpResponse<String> unknown = client.token("nobody", "guess", "system/*.rs");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("invalid_client");

        HttpResponse<String> escalation = client.token("demo-ehr", "demo-ehr-secret", "system/*.cruds");
        assertThat(escalation.statusCode()).isEqualTo(400);
        assertThat(escalation.body()).contains("invalid_scope");
    }

    @Test
    void whenTokenExpiredThenUnauthorized() throws Exception {
        String token = FhirTestClient.accessToken(client.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        var claims = com.nimbusds.jwt.JWTClaimsSet.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
        java.time.Instant past = java.time.Instant.now().minusSeconds(600);
        var expired = new com.nimbusds.jwt.JWTClaimsSet.Builder(claims).issueTime(java.util.Date.from(past))
                .notBeforeTime(java.util.Date.from(past)).expirationTime(java.util.Date.from(past.plusSeconds(300))).build();
        com.nimbusds.jose.jwk.RSAKey key = keys.signing();
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID(key.getKeyID()).build(), expired);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key)); // the server's own key: only the time is wrong

        HttpResponse<String> response = client.get("Organization", "Authorization", "Bearer " + jwt.serialize());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    }

    @Test
    void whenTheSigningKeyIsDueForRotationThenANewOneSignsAndTokensOfTheOldWorkUntilRetired() throws Exception {
        String before = FhirTestClient.accessToken(client.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        String oldKid = com.nimbusds.jwt.SignedJWT.parse(before).getHeader().getKeyID();
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        java.time.Duration rotation = java.time.Duration.ofDays(30);

        TokenKeys aMonthOn = new TokenKeys(jdbc, rotation, java.time.Clock.offset(java.time.Clock.systemUTC(),
                rotation.plusDays(1)));
        String newKid = aMonthOn.signing().getKeyID();
        TokenKeys aDayAfterThat = new TokenKeys(jdbc, rotation, java.time.Clock.offset(java.time.Clock.systemUTC(),
                rotation.plusDays(2).plusHours(1)));

        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(aMonthOn.published()).extracting(com.nimbusds.jose.jwk.JWK::getKeyID).contains(newKid, oldKid);
        assertThat(aMonthOn.published()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        assertThat(aDayAfterThat.published()).as("retired a day after its successor came")
                .extracting(com.nimbusds.jose.jwk.JWK::getKeyID).contains(newKid).doesNotContain(oldKid);
        keys.forget(); // as a minute does: the server reads the keys again
        String after = FhirTestClient.accessToken(client.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        assertThat(com.nimbusds.jwt.SignedJWT.parse(after).getHeader().getKeyID()).as("the newest key signs").isEqualTo(newKid);
        for (String token : List.of(before, after)) {
            assertThat(client.get("Organization", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> jwks = anonymous.get("/oauth2/jwks");
        assertThat(jwks.body()).contains(oldKid, newKid).doesNotContain("\"d\"");
    }

    @Test
    void whenTokenHasUserScopesThenForbiddenWithTheReason() {
        String token = FhirTestClient.accessToken(client.token("test-user-scopes", "test-user-scopes-secret", "user/*.rs"));

        HttpResponse<String> response = client.get("Immunization?patient=p0", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("user/ scopes are not served");
    }

    @Test
    void whenTokenTamperedOrGarbageThenUnauthorized() {
        String token = FhirTestClient.accessToken(client.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("system/*.rs", "system/*.cruds");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        for (String bad : new String[] {tampered, "not-a-token"}) {
            HttpResponse<String> response = client.get("Organization", "Authorization", "Bearer " + bad);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
            assertThat(response.body()).contains("OperationOutcome", "not valid");
        }
    }

    @Test
    void whenScopesDoNotCoverTheRequestThenForbiddenBeforeAnyRegistryIsAsked(CapturedOutput output) {
        String narrow = "Bearer " + FhirTestClient.accessToken(client.token("test-organizations",
                "test-organizations-secret", "system/Organization.rs system/Immunization.rs"));
        long before = registryCalls();

        HttpResponse<String> chained = client.get("Immunization?patient.family=Johnson&patient.given=Marcus"
                + "&patient.birthdate=1980-07-02", "Authorization", narrow, "Cache-Control", "no-cache");
        HttpResponse<String> patients = client.get(MARCUS, "Authorization", narrow);
        HttpResponse<String> included = client.get("Immunization?patient=Patient/p0&_include=Immunization:patient",
                "Authorization", narrow);
        HttpResponse<String> match = client.post("Patient/$match", "application/fhir+json",
                "{\"resourceType\":\"Parameters\"}", "Authorization", narrow);
        HttpResponse<String> create = client.post("Organization", "application/fhir+json",
                "{\"resourceType\":\"Organization\",\"name\":\"x\"}", "Authorization", narrow);

        for (HttpResponse<String> refused : java.util.List.of(chained, patients, included, match, create)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("OperationOutcome", "scopes do not allow");
        }
        assertThat(chained.body()).contains("system/Patient.s");
        assertThat(create.body()).contains("system/Organization.c");
        assertThat(registryCalls()).isEqualTo(before);
        assertThat(client.get("Organization", "Authorization", narrow).statusCode()).isEqualTo(200);
        // a client's error: not logged as an error of the server
        assertThat(output.getOut()).doesNotContain("Exception thrown by interceptor").doesNotContain(" ERROR ");
    }

    @Test
    void whenTokenIntrospectedAndRevokedThenItsStateSaysSoAndTheApiRefusesIt() {
        String token = FhirTestClient.accessToken(client.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("demo-ehr:demo-ehr-secret".getBytes());
        assertThat(client.get("Organization", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);

        HttpResponse<String> active = client.post("/oauth2/introspect", "application/x-www-form-urlencoded",
                "token=" + token, "Authorization", basic);
        assertThat(active.body()).contains("\"active\":true", "\"client_id\":\"demo-ehr\"", "system/*.rs");

        HttpResponse<String> revoked = client.post("/oauth2/revoke", "application/x-www-form-urlencoded",
                "token=" + token, "Authorization", basic);
        assertThat(revoked.statusCode()).isEqualTo(200);
        HttpResponse<String> inactive = client.post("/oauth2/introspect", "application/x-www-form-urlencoded",
                "token=" + token, "Authorization", basic);
        assertThat(inactive.body()).contains("\"active\":false");
        HttpResponse<String> refused = client.get("Organization", "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");
    }

    private long registryCalls() {
        return Set.of("NJ", "NY", "PA").stream().mapToLong(demo::calls).sum();
    }

    /** Two instances on one database: while one purges expired authorizations, the other's turn deletes nothing. */
    @Test
    void whenAnotherInstanceIsPurgingAuthorizationsThenThisOnePurgesNothing() throws Exception {
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("INSERT INTO oauth2_authorization (id,"
                + " registered_client_id, principal_name, authorization_grant_type, access_token_expires_at)"
                + " VALUES ('expired-test', 'x', 'x', 'client_credentials', now() - interval '2 days')");
        try (java.sql.Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, AuthStore.PURGE_LOCK);
                lock.execute();
            }
            assertThat(store.purgeExpired()).as("the other instance's turn").isZero();
            other.commit();
        }
        assertThat(store.purgeExpired()).as("its own turn").isPositive();
    }
}
