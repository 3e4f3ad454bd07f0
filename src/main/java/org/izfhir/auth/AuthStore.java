package org.izfhir.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

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

    private static final Logger log = LoggerFactory.getLogger(AuthStore.class);
    /** The advisory lock the authorization purge holds, so that one instance purges at a time. */
    static final long PURGE_LOCK = 0x697A_6668_0002L;

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
        // tokens are looked up by value (revocation, introspection): an index, not a scan per lookup
        jdbc.execute("CREATE INDEX IF NOT EXISTS oauth2_authorization_access_token"
                + " ON oauth2_authorization USING hash (access_token_value)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_signing_key (id varchar(64) PRIMARY KEY,"
                + " created_at timestamptz NOT NULL DEFAULT now(), jwk text NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_assertion_jti (client_id varchar(100) NOT NULL,"
                + " jti varchar(255) NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (client_id, jti))");
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_audit_event (id bigserial PRIMARY KEY,"
                + " recorded timestamptz NOT NULL, client_id varchar(100), patient_ids text, outcome varchar(2) NOT NULL,"
                + " event text NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_audit_event_recorded ON izfhir_audit_event (recorded)");
    }

    /** One audit event's row: the AuditEvent as JSON, and what it is searched by. */
    record AuditRow(Instant recorded, String clientId, String patientIds, String outcome, String json) {
    }

    void saveAuditEvents(List<AuditRow> rows) {
        jdbc.batchUpdate("INSERT INTO izfhir_audit_event (recorded, client_id, patient_ids, outcome, event)"
                + " VALUES (?, ?, ?, ?, ?)", rows.stream().map(r -> new Object[] {Timestamp.from(r.recorded()),
                r.clientId(), r.patientIds(), r.outcome(), r.json()}).toList());
    }

    /** The audit events (JSON) recorded since a time, oldest first. */
    List<String> auditEventsSince(Instant from) {
        return jdbc.queryForList("SELECT event FROM izfhir_audit_event WHERE recorded >= ? ORDER BY id", String.class,
                Timestamp.from(from));
    }

    /**
     * Records a client assertion's {@code jti} until the assertion expires; false when the client
     * used it before (a replay), whichever instance saw it first.
     */
    boolean firstUse(String clientId, String jti, Instant expiresAt) {
        return jdbc.update("INSERT INTO izfhir_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING", clientId, jti, Timestamp.from(expiresAt)) == 1;
    }

    /**
     * Deletes the authorizations whose every token expired more than a day ago (a backend service
     * leaves one per token it gets), hourly; returns how many. One instance at a time, as the record purge
     * ({@code RecordStore.purge}): the statement runs only while it holds its advisory lock.
     */
    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    int purgeExpired() {
        int purged = jdbc.update("WITH turn AS (SELECT pg_try_advisory_xact_lock(?) AS mine)"
                + " DELETE FROM oauth2_authorization WHERE GREATEST(authorization_code_expires_at,"
                + " access_token_expires_at, refresh_token_expires_at, oidc_id_token_expires_at)"
                + " < now() - interval '1 day' AND (SELECT mine FROM turn)", PURGE_LOCK);
        if (purged > 0) {
            log.info("purged {} expired authorizations", purged);
        }
        jdbc.update("DELETE FROM izfhir_assertion_jti WHERE expires_at < now() - interval '1 hour'");
        return purged;
    }
}
