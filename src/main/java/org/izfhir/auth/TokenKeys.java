package org.izfhir.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The keys access and ID tokens are signed with (RS256, RSA 2048), kept in the database
 * ({@code izfhir_signing_key}) so that every instance signs and verifies with the same ones. A new
 * key is made once the newest is older than the rotation age; the key it replaces stays published
 * (the JWKS, and this server's own verification) for a day more, longer than any token it signed
 * lives, and is then retired. A key is withdrawn at once (after a compromise) by deleting its row:
 * instances read the keys again within a minute, and at once when a token names a key they do not
 * know (another instance made it).
 */
final class TokenKeys implements JWKSource<SecurityContext> {

    /** How long a replaced key stays published: longer than any access or ID token lives. */
    static final Duration AFTERLIFE = Duration.ofDays(1);
    private static final Duration REREAD = Duration.ofMinutes(1);
    /** Keys read again for an unknown key id at most this often: a forged id is not a database query per request. */
    private static final Duration REREAD_FOR_UNKNOWN = Duration.ofSeconds(1);

    private record Key(RSAKey jwk, Instant created) {
    }

    private record Snapshot(List<Key> keys, Instant read) {
    }

    private final JdbcTemplate jdbc;
    private final Duration rotation;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.MIN);

    TokenKeys(JdbcTemplate jdbc, Duration rotation, Clock clock) {
        this.jdbc = jdbc;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** The key new tokens are signed with: the newest, or a new one when the newest is due for rotation. */
    RSAKey signing() {
        Instant due = clock.instant().minus(rotation);
        List<Key> keys = keys(false);
        if (keys.isEmpty() || !keys.get(0).created().isAfter(due)) {
            make();
            keys = keys(true);
        }
        return keys.get(0).jwk();
    }

    /** The keys a token may be verified with, public parts only, newest first: those not yet retired. */
    List<JWK> published() {
        return published(false);
    }

    /**
     * For verification and the JWKS: the published keys; a key id not among them makes the keys be
     * read again, unless they were read within the last second.
     */
    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        List<JWK> found = selector.select(new JWKSet(published(false)));
        if (found.isEmpty() && selector.getMatcher().getKeyIDs() != null && !selector.getMatcher().getKeyIDs().isEmpty()
                && snapshot.read().plus(REREAD_FOR_UNKNOWN).isBefore(Instant.now())) {
            found = selector.select(new JWKSet(published(true)));
        }
        return found;
    }

    /** For signing: the one signing key, so that the encoder never has two to choose from. */
    JWKSource<SecurityContext> signingSource() {
        return (selector, context) -> selector.select(new JWKSet(signing()));
    }

    /** Forgets what was read, as a minute does (another instance may have rotated). */
    void forget() {
        snapshot = new Snapshot(List.of(), Instant.MIN);
    }

    /** The newest key, and each earlier one until a day after the next one replaced it. */
    private List<JWK> published(boolean reread) {
        Instant retired = clock.instant().minus(AFTERLIFE);
        List<Key> keys = keys(reread);
        List<JWK> published = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (i == 0 || keys.get(i - 1).created().isAfter(retired)) {
                published.add(keys.get(i).jwk().toPublicJWK());
            }
        }
        return published;
    }

    private List<Key> keys(boolean reread) {
        Snapshot known = snapshot;
        if (reread || known.keys().isEmpty() || known.read().plus(REREAD).isBefore(Instant.now())) {
            List<Key> keys = jdbc.query("SELECT jwk, created_at FROM izfhir_signing_key ORDER BY created_at DESC, id",
                    (rs, n) -> new Key(parse(rs.getString(1)), rs.getTimestamp(2).toInstant()));
            known = new Snapshot(keys, Instant.now());
            snapshot = known;
        }
        return known.keys();
    }

    private void make() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
            jdbc.update("INSERT INTO izfhir_signing_key (id, created_at, jwk) VALUES (?, ?, ?)", key.getKeyID(),
                    Timestamp.from(clock.instant()), key.toJSONString());
        } catch (JOSEException e) {
            throw new IllegalStateException("no signing key could be made", e);
        }
    }

    private static RSAKey parse(String jwk) {
        try {
            return RSAKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key cannot be read", e);
        }
    }
}
