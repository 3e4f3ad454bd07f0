package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The checks of a backend service's signed client assertion, one reason each. The {@code jti}
 * store is the database's in production; here, a set behind the same statement.
 */
class ClientAssertionsTest {

    private static final String ISSUER = "https://iz.example";
    private static final String AUDIENCE = ISSUER + "/oauth2/token";
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static RSAKey rsa;
    private static ECKey ec;
    private static RSAKey stranger;

    private final Set<String> usedJtis = new HashSet<>();
    private JwtDecoder decoder;

    @BeforeAll
    static void keys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ec = new ECKeyGenerator(Curve.P_384).keyID("ec").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa").generate(); // the same kid, another key
    }

    @BeforeEach
    void decoder() {
        // the database's "INSERT ... ON CONFLICT DO NOTHING", as a set
        JdbcTemplate jtis = new JdbcTemplate() {
            @Override
            public int update(String sql, Object... args) {
                return usedJtis.add(args[0] + "\n" + args[1]) ? 1 : 0;
            }
        };
        RegisteredClient client = RegisteredClient.withId("1").clientId("partner")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .clientSettings(ClientSettings.builder().setting(ClientAssertions.JWKS_SETTING,
                        new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()).build())
                .build();
        decoder = new ClientAssertions(new AuthStore(jtis), "/oauth2/token", Clock.fixed(NOW, ZoneOffset.UTC))
                .createDecoder(client);
        AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return ISSUER;
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return AuthorizationServerSettings.builder().build();
            }
        });
    }

    @AfterEach
    void forget() {
        AuthorizationServerContextHolder.resetContext();
    }

    private static String assertion(JWSAlgorithm algorithm, JWK key, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("partner").subject("partner").audience(AUDIENCE)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(240))).jwtID("jti-" + System.nanoTime());
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(key instanceof ECKey e ? new ECDSASigner(e) : new RSASSASigner((RSAKey) key));
        return jwt.serialize();
    }

    private void refused(String assertion, String reason) {
        assertThatThrownBy(() -> decoder.decode(assertion)).hasMessageContaining(reason);
    }

    @Test
    void whenSignedRs384OrEs384ByARegisteredKeyThenAccepted() throws Exception {
        assertThat(decoder.decode(assertion(JWSAlgorithm.RS384, rsa, c -> { })).getSubject()).isEqualTo("partner");
        assertThat(decoder.decode(assertion(JWSAlgorithm.ES384, ec, c -> { })).getSubject()).isEqualTo("partner");
    }

    @Test
    void whenTheIssuerIsNotTheClientThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.issuer("someone")), "iss is not the client id");
    }

    @Test
    void whenTheSubjectIsNotTheClientThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.subject("someone")), "sub is not the client id");
    }

    @Test
    void whenTheAudienceIsNotTheTokenEndpointThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.audience(ISSUER + "/fhir")), "aud is not the token endpoint");
    }

    @Test
    void whenTheExpiryIsMissingThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.expirationTime(null)), "exp is missing");
    }

    @Test
    void whenItLivesMoreThanFiveMinutesThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.expirationTime(Date.from(NOW.plusSeconds(600)))),
                "exp is more than 5 minutes ahead");
    }

    @Test
    void whenItHasExpiredThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.issueTime(Date.from(NOW.minusSeconds(600)))
                .expirationTime(Date.from(NOW.minusSeconds(300)))), "expired");
    }

    @Test
    void whenTheJtiIsMissingThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.jwtID(null)), "jti is missing");
    }

    @Test
    void whenTheJtiWasUsedBeforeThenRefused() throws Exception {
        String once = assertion(JWSAlgorithm.RS384, rsa, c -> c.jwtID("the-same"));
        decoder.decode(once);

        refused(once, "jti was used before");
        refused(assertion(JWSAlgorithm.RS384, rsa, c -> c.jwtID("the-same")), "jti was used before");
    }

    @Test
    void whenSignedRs256ThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS256, rsa, c -> { }), "Another algorithm expected, or no matching key(s) found");
    }

    @Test
    void whenSignedByAKeyNotRegisteredThenRefused() throws Exception {
        refused(assertion(JWSAlgorithm.RS384, stranger, c -> { }), "Signed JWT rejected");
    }
}
