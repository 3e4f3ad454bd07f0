package org.izfhir.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Access tokens are JWTs, checked by signature and time, and also against the stored
 * authorization, so that a revoked token stops working: at once on the instance that revoked it
 * (the token is forgotten when its authorization is saved or removed), within {@link #REMEMBERED}
 * on the others. A token found good is remembered that long, its expiry still checked on every
 * use: a busy client costs one signature check and one lookup every few seconds, not one per
 * request (the signature check alone took a quarter of a stored-record search's time).
 */
final class RevocationAwareTokens implements JwtDecoder, OAuth2AuthorizationService {

    static final Duration REMEMBERED = Duration.ofSeconds(10);

    private final JwtDecoder signatures;
    private final OAuth2AuthorizationService authorizations;
    /** The clock skew Spring's own expiry check allows. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final Cache<String, Jwt> good = Caffeine.newBuilder().expireAfterWrite(REMEMBERED)
            .maximumSize(100_000).build();

    RevocationAwareTokens(JwtDecoder signatures, OAuth2AuthorizationService authorizations) {
        this.signatures = signatures;
        this.authorizations = authorizations;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = good.getIfPresent(token);
        if (known != null) {
            if (known.getExpiresAt() != null && known.getExpiresAt().plus(SKEW).isBefore(Instant.now())) {
                good.invalidate(token);
                throw new BadJwtException("the access token expired at " + known.getExpiresAt());
            }
            return known;
        }
        Jwt jwt = signatures.decode(token);
        if (!stillActive(token)) {
            throw new BadJwtException("the access token was revoked");
        }
        good.put(token, jwt);
        return jwt;
    }

    private boolean stillActive(String token) {
        OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization == null ? null : authorization.getAccessToken();
        return access != null && access.isActive();
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        authorizations.save(authorization);
        forget(authorization);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        authorizations.remove(authorization);
        forget(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return authorizations.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return authorizations.findByToken(token, tokenType);
    }

    private void forget(OAuth2Authorization authorization) {
        if (authorization.getAccessToken() != null) {
            good.invalidate(authorization.getAccessToken().getToken().getTokenValue());
        }
    }
}
