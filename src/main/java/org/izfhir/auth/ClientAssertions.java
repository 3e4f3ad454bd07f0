package org.izfhir.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.HashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Checks the signed JWTs backend services authenticate with ({@code private_key_jwt}, SMART
 * Backend Services): signed RS384 or ES384 by a key of the client's registered JWKS (inline in
 * the clients file, or at its URL, cached and re-fetched for unknown keys); {@code iss} and
 * {@code sub} the client id; {@code aud} the token endpoint; {@code exp} at most 5 minutes ahead;
 * a {@code jti} never used before by the client (remembered in the database, so a replay to
 * another instance fails too).
 */
final class ClientAssertions implements JwtDecoderFactory<RegisteredClient> {

    /** The client setting holding an inline JWKS (JSON). */
    static final String JWKS_SETTING = "izfhir.jwks";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ClientAssertions.class);

    private final AuthStore store;
    private final String tokenEndpoint;
    private final Clock clock;
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

    ClientAssertions(AuthStore store, String tokenEndpoint, Clock clock) {
        this.store = store;
        this.tokenEndpoint = tokenEndpoint;
        this.clock = clock;
    }

    /** Checks an inline JWKS as {@link #createDecoder} will read it. */
    static void checkJwks(String json) throws ParseException {
        if (JWKSet.parse(json).getKeys().isEmpty()) {
            throw new ParseException("no keys", 0);
        }
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String key = client.getId() + "\n" + client.getClientSettings().getJwkSetUrl() + "\n"
                + client.getClientSettings().getSetting(JWKS_SETTING);
        try {
            return decoders.computeIfAbsent(key, k -> decoder(client));
        } catch (IllegalStateException e) {
            log.warn("client assertion of {} cannot be checked: {}", client.getClientId(), e.getMessage());
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "the client's keys cannot be read", null));
        }
    }

    /**
     * Reads a client assertion sent without {@code client_id} (SMART backend services send none):
     * the client is the one the assertion names as {@code sub}, checked then against that
     * client's keys. With {@code client_id}, the authorization server's own reader serves.
     */
    static AuthenticationConverter withoutClientId() {
        return request -> {
            String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
            if (!"POST".equals(request.getMethod()) || !JWT_BEARER.equals(request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))
                    || assertion == null || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null) {
                return null;
            }
            String subject;
            try {
                subject = SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
            } catch (ParseException e) {
                subject = null;
            }
            if (subject == null || subject.isBlank()) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "client_assertion is not a signed JWT naming its client as sub", null));
            }
            Map<String, Object> parameters = new HashMap<>();
            request.getParameterMap().forEach((name, values) -> {
                if (!name.equals(OAuth2ParameterNames.CLIENT_ASSERTION) && !name.equals(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE)) {
                    parameters.put(name, values.length == 1 ? values[0] : values);
                }
            });
            return new OAuth2ClientAuthenticationToken(subject, new ClientAuthenticationMethod(JWT_BEARER), assertion, parameters);
        };
    }

    private JwtDecoder decoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(client)));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // the validators below check the claims
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        String clientId = client.getClientId();
        JwtTimestampValidator times = new JwtTimestampValidator(SKEW);
        times.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(times, claims(clientId), replay(clientId)));
        return decoder;
    }

    private static JWKSource<SecurityContext> keys(RegisteredClient client) {
        String inline = client.getClientSettings().getSetting(JWKS_SETTING);
        try {
            if (inline != null) {
                return new ImmutableJWKSet<>(JWKSet.parse(inline));
            }
            String url = client.getClientSettings().getJwkSetUrl();
            if (url != null) {
                return JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
            }
        } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("client " + client.getClientId() + ": its JWKS cannot be read", e);
        }
        throw new IllegalStateException("client " + client.getClientId() + " has neither jwks nor jwks-url");
    }

    private OAuth2TokenValidator<Jwt> claims(String clientId) {
        return jwt -> {
            String expectedAudience = AuthorizationServerContextHolder.getContext().getIssuer() + tokenEndpoint;
            Instant latest = clock.instant().plus(MAX_LIFETIME).plus(SKEW);
            List<String> audience = jwt.getAudience() == null ? List.of() : jwt.getAudience();
            String problem = !clientId.equals(jwt.getClaimAsString("iss")) ? "iss is not the client id"
                    : !clientId.equals(jwt.getSubject()) ? "sub is not the client id"
                    : !audience.contains(expectedAudience) ? "aud is not the token endpoint " + expectedAudience
                    : jwt.getExpiresAt() == null ? "exp is missing"
                    : jwt.getExpiresAt().isAfter(latest) ? "exp is more than 5 minutes ahead"
                    : jwt.getId() == null || jwt.getId().isBlank() ? "jti is missing" : null;
            return problem == null ? OAuth2TokenValidatorResult.success() : failure(clientId, problem);
        };
    }

    private OAuth2TokenValidator<Jwt> replay(String clientId) {
        return jwt -> jwt.getId() == null || jwt.getExpiresAt() == null // refused by the claims' check
                || store.firstUse(clientId, jwt.getId(), jwt.getExpiresAt())
                ? OAuth2TokenValidatorResult.success() : failure(clientId, "jti was used before");
    }

    private static OAuth2TokenValidatorResult failure(String clientId, String problem) {
        log.info("client assertion of {} refused: {}", clientId, problem);
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                "client assertion refused: " + problem, null));
    }
}
