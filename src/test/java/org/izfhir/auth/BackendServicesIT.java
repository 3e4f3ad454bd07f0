package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * SMART Backend Services over real HTTP: a signed JWT (RS384 or ES384) instead of a secret, the
 * client's keys registered inline or by URL; and each way an assertion must be refused (wrong
 * algorithm, audience, issuer, expired, too long-lived, replayed jti, unknown key or client).
 */
@IzFhirServerTest
class BackendServicesIT {

    private static final String INLINE = "test-jwt-backend";
    private static final String BY_URL = "test-jwt-url-backend";
    private static RSAKey rsa;
    private static ECKey ec;
    private static RSAKey stranger;
    private static HttpServer jwksServer;

    @LocalServerPort
    int port;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    Environment environment;

    @Autowired
    AuthProperties properties;

    private FhirTestClient http;

    @BeforeAll
    static void keys() throws JOSEException, IOException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same key id, another key
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksServer.start();
    }

    @AfterAll
    static void stop() {
        jwksServer.stop(0);
    }

    @BeforeEach
    void register() throws IOException {
        http = new FhirTestClient(port).anonymous();
        Path file = Files.createTempFile("backend-clients", ".yaml");
        String publicKeys = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
        Files.writeString(file, """
                clients:
                  - id: %s
                    grant-types: [client_credentials]
                    auth-methods: [private_key_jwt]
                    jwks: '%s'
                    scopes: [system/Immunization.rs, system/Patient.rs]
                  - id: %s
                    grant-types: [client_credentials]
                    auth-methods: [private_key_jwt]
                    jwks-url: http://127.0.0.1:%d/jwks.json
                    scopes: [system/Immunization.rs]
                """.formatted(INLINE, publicKeys, BY_URL, jwksServer.getAddress().getPort()));
        SmartClientsFile.load(file, environment, properties).forEach(clients::save);
        Files.delete(file);
    }

    private String tokenEndpoint() {
        return "http://localhost:" + port + "/oauth2/token";
    }

    private String assertion(String client, JWK key, JWSAlgorithm algorithm, Consumer<JWTClaimsSet.Builder> change)
            throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(client).subject(client).audience(tokenEndpoint())
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(4)))).jwtID(UUID.randomUUID().toString());
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        jwt.sign(key instanceof ECKey e ? new ECDSASigner(e) : new RSASSASigner((RSAKey) key));
        return jwt.serialize();
    }

    private HttpResponse<String> token(String assertion, String scope) {
        return http.post("/oauth2/token", "application/x-www-form-urlencoded", "grant_type=client_credentials&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=" + assertion);
    }

    @Test
    void whenSignedWithRs384OrEs384ByARegisteredKeyThenAFiveMinuteTokenThatReadsRecords() throws JOSEException {
        for (String[] client : List.of(new String[] {INLINE, "rsa"}, new String[] {INLINE, "ec"},
                new String[] {BY_URL, "rsa"}, new String[] {BY_URL, "ec"})) {
            JWK key = client[1].equals("rsa") ? rsa : ec;
            JWSAlgorithm algorithm = client[1].equals("rsa") ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;

            HttpResponse<String> response = token(assertion(client[0], key, algorithm, c -> { }), "system/Immunization.rs");

            assertThat(response.statusCode()).as(String.join(" ", client) + ": " + response.body()).isEqualTo(200);
            JsonNode json = LaunchBrowser.json(response);
            assertThat(json.path("expires_in").asLong()).isBetween(240L, 300L);
            assertThat(json.path("scope").asText()).isEqualTo("system/Immunization.rs");
            HttpResponse<String> search = http.get("Immunization?patient.family=Johnson&patient.given=Marcus"
                    + "&patient.birthdate=1980-07-02", "Authorization", "Bearer " + json.path("access_token").asText());
            assertThat(search.statusCode()).as(search.body()).isEqualTo(403); // chained: needs Patient, not granted
            HttpResponse<String> byPatient = http.get("Immunization?patient=p0", "Authorization",
                    "Bearer " + json.path("access_token").asText());
            assertThat(byPatient.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void whenTheAssertionIsWrongInAnyWayThenInvalidClient() throws JOSEException {
        Instant now = Instant.now();
        List<String> refused = List.of(
                assertion(INLINE, rsa, JWSAlgorithm.RS256, c -> { }),                               // algorithm
                assertion(INLINE, rsa, JWSAlgorithm.RS384, c -> c.audience("https://elsewhere.example/token")),
                assertion(INLINE, rsa, JWSAlgorithm.RS384, c -> c.issuer("someone-else")),
                assertion(INLINE, rsa, JWSAlgorithm.RS384, c -> c.expirationTime(Date.from(now.minusSeconds(120)))),
                assertion(INLINE, rsa, JWSAlgorithm.RS384, c -> c.expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))),
                assertion(INLINE, rsa, JWSAlgorithm.RS384, c -> c.jwtID(null)),
                assertion(INLINE, stranger, JWSAlgorithm.RS384, c -> { }),                          // unknown key
                assertion("no-such-client", rsa, JWSAlgorithm.RS384, c -> { }),
                "not-a-jwt");
        for (String assertion : refused) {
            HttpResponse<String> response = token(assertion, "system/Immunization.rs");

            assertThat(response.statusCode()).as(assertion).isEqualTo(401);
            assertThat(response.body()).contains("invalid_client");
        }
    }

    @Test
    void whenTheSameJtiComesTwiceThenTheSecondIsRefused() throws JOSEException {
        String jti = UUID.randomUUID().toString();

        HttpResponse<String> first = token(assertion(INLINE, ec, JWSAlgorithm.ES384, c -> c.jwtID(jti)), "system/Immunization.rs");
        HttpResponse<String> replay = token(assertion(INLINE, ec, JWSAlgorithm.ES384, c -> c.jwtID(jti)), "system/Immunization.rs");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(401);
    }

    @Test
    void whenMoreScopeAskedThanRegisteredThenInvalidScope() throws JOSEException {
        HttpResponse<String> response = token(assertion(BY_URL, rsa, JWSAlgorithm.RS384, c -> { }), "system/*.cruds");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_scope");
    }
}
