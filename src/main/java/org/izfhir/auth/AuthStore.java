package org.izfhir.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The authorization server's tables in the application's database, so that every instance shares
 * clients, authorizations, consents and the signing key: the schema Spring Authorization Server
 * ships, adapted to PostgreSQL as its notes say ({@code blob} → {@code text}, {@code timestamp} →
 * {@code timestamptz}), and a table for the token signing key.
 */
final class AuthStore {

    private static final List<String> SCHEMAS = List.of(
            "org/springframework/security/oauth2/server/authorization/client/oauth2-registered-client-schema.sql",
            "org/springframework/security/oauth2/server/authorization/oauth2-authorization-schema.sql",
            "org/springframework/security/oauth2/server/authorization/oauth2-authorization-consent-schema.sql");

    private final JdbcTemplate jdbc;

    AuthStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void createSchema() {
        for (String schema : SCHEMAS) {
            String sql;
            try (InputStream in = new ClassPathResource(schema).getInputStream()) {
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("the authorization server's schema " + schema + " is missing", e);
            }
            sql = sql.replaceAll("(?s)/\\*.*?\\*/", "")
                    .replaceAll("\\bblob\\b", "text")
                    .replaceAll("\\btimestamp\\b", "timestamptz")
                    .replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ");
            jdbc.execute(sql);
        }
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_signing_key (id varchar(64) PRIMARY KEY,"
                + " created_at timestamptz NOT NULL DEFAULT now(), jwk text NOT NULL)");
    }

    /**
     * The keys tokens are signed with: the stored one, or a new RSA key stored for every instance
     * (the first instance to store one wins).
     */
    JWKSet signingKeys() {
        List<String> stored = jdbc.queryForList("SELECT jwk FROM izfhir_signing_key WHERE id = 'current'", String.class);
        if (stored.isEmpty()) {
            try {
                RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                        .generate();
                jdbc.update("INSERT INTO izfhir_signing_key (id, jwk) VALUES ('current', ?) ON CONFLICT DO NOTHING",
                        key.toJSONString());
            } catch (JOSEException e) {
                throw new IllegalStateException("no signing key could be made", e);
            }
            stored = jdbc.queryForList("SELECT jwk FROM izfhir_signing_key WHERE id = 'current'", String.class);
        }
        try {
            return new JWKSet(RSAKey.parse(stored.get(0)));
        } catch (ParseException e) {
            throw new IllegalStateException("the stored signing key cannot be read", e);
        }
    }
}
