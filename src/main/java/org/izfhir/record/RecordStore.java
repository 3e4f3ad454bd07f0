package org.izfhir.record;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.response.ResponseReader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stored records: one row per person in PostgreSQL ({@code izfhir_record}), shared by every
 * instance, with this instance's most used records in memory. A row holds what the record is made
 * of, not the record: the registry answers as received (HL7 text), the demographics to ask again
 * with, and the consultation's per-registry outcome. Read back, the answers are consolidated again,
 * which gives the same record (consolidation is pure, resource ids derive from the answers) at a
 * fraction of the cost of writing and reading the FHIR resources themselves. Rows older than the
 * retention are purged.
 */
public final class RecordStore {

    private static final String COLUMNS = "patient_id, refreshed_at, query, sources, outcome";
    /** The advisory lock the retention purge holds, so that one instance purges at a time. */
    public static final long PURGE_LOCK = 0x697A_6668_0001L;

    private final JdbcTemplate jdbc;
    private final FhirContext fhir;
    private final Consolidator consolidator;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final ResponseReader reader = new ResponseReader();
    private final Cache<String, PersonRecord> cache;
    private final Cache<String, List<String>> idsByQuery;

    /**
     * One stored source: what a registry answered, when (last, and first: {@code since} is absent
     * in rows stored before it was kept), and whether it was kept from an earlier consultation.
     */
    record StoredAnswer(String registryId, String registryName, String status, String message, Instant at,
                        Instant since, boolean reused) {
    }

    /**
     * @param queryMemory how long this instance remembers which people a query found (another
     *                    instance's newer consultation of the same query is seen after this)
     */
    public RecordStore(DataSource dataSource, FhirContext fhir, Consolidator consolidator, int cacheSize,
                       java.time.Duration queryMemory) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.fhir = fhir;
        this.consolidator = consolidator;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.idsByQuery = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(queryMemory).build();
    }

    /** Creates the table and its indexes when missing. */
    public void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_record (patient_id varchar(64) PRIMARY KEY,"
                + " query_key varchar(64) NOT NULL, identifiers text[] NOT NULL, refreshed_at timestamptz NOT NULL,"
                + " query text NOT NULL, sources text NOT NULL, outcome text NOT NULL)");
        // Rows of the first layout held the record's FHIR resources; the answers they were made of suffice.
        jdbc.execute("ALTER TABLE izfhir_record ADD COLUMN IF NOT EXISTS outcome text NOT NULL DEFAULT ''");
        jdbc.execute("ALTER TABLE izfhir_record DROP COLUMN IF EXISTS record");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_record_query_key ON izfhir_record (query_key)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_record_identifiers ON izfhir_record USING gin (identifiers)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_record_refreshed_at ON izfhir_record (refreshed_at)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_record_id (patient_id varchar(64) PRIMARY KEY,"
                + " identifier_hashes text[] NOT NULL, kept_until timestamptz NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_record_id_hashes ON izfhir_record_id USING gin (identifier_hashes)");
    }

    /**
     * Keeps a person's Patient id until {@code until}, beyond their stored record: an app's
     * authorization names it, and the person found again by the same registry identifiers gets it
     * back. Only SHA-256 hashes of the identifiers are kept (no name, date or identifier in clear;
     * identifiers are few enough to be tried, so this is no defence against someone who holds the
     * database). A record that is no longer stored extends the id it has.
     */
    public void keepId(String patientId, Instant until) {
        Optional<PersonRecord> record = get(patientId);
        if (record.isEmpty()) {
            jdbc.update("UPDATE izfhir_record_id SET kept_until = greatest(kept_until, ?) WHERE patient_id = ?",
                    Timestamp.from(until), patientId);
            return;
        }
        String[] hashes = record.get().identifierKeys().stream().map(RecordStore::hash).toArray(String[]::new);
        jdbc.execute((java.sql.Connection connection) -> {
            try (var statement = connection.prepareStatement("INSERT INTO izfhir_record_id VALUES (?, ?, ?)"
                    + " ON CONFLICT (patient_id) DO UPDATE SET identifier_hashes = excluded.identifier_hashes,"
                    + " kept_until = greatest(izfhir_record_id.kept_until, excluded.kept_until)")) {
                statement.setString(1, patientId);
                statement.setArray(2, connection.createArrayOf("text", hashes));
                statement.setTimestamp(3, Timestamp.from(until));
                return statement.executeUpdate();
            }
        });
    }

    /** How many records are stored. */
    public long count() {
        Long rows = jdbc.queryForObject("SELECT count(*) FROM izfhir_record", Long.class);
        return rows == null ? 0 : rows;
    }

    /** Whether a Patient id is kept for an authorization (see {@link #keepId}). */
    public boolean isKept(String patientId) {
        return !jdbc.queryForList("SELECT 1 FROM izfhir_record_id WHERE patient_id = ? AND kept_until > now()",
                Integer.class, patientId).isEmpty();
    }

    private static String hash(String identifierKey) {
        return Digests.sha256(identifierKey, 32);
    }

    /** The record of a person, from memory when this instance has it. */
    public Optional<PersonRecord> get(String patientId) {
        PersonRecord cached = cache.getIfPresent(patientId);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<PersonRecord> found = jdbc.query("SELECT " + COLUMNS + " FROM izfhir_record WHERE patient_id = ?",
                (rs, n) -> read(rs), patientId);
        found.forEach(record -> cache.put(record.patientId(), record));
        return found.stream().findFirst();
    }

    /** A newer copy than {@code known}, if another instance stored one. */
    Optional<PersonRecord> newer(PersonRecord known) {
        cache.invalidate(known.patientId());
        return get(known.patientId()).filter(record -> record.refreshedAt().isAfter(known.refreshedAt()));
    }

    /** The people the last consultation with these demographics found. */
    public List<PersonRecord> byQuery(String queryKey) {
        List<String> ids = idsByQuery.get(queryKey, key -> List.copyOf(jdbc.queryForList(
                "SELECT patient_id FROM izfhir_record WHERE query_key = ?", String.class, key)));
        List<PersonRecord> records = new ArrayList<>(ids.size());
        for (String id : ids) {
            get(id).ifPresent(records::add);
        }
        return records;
    }

    /** The stored people known by any of these registry identifiers ({@code system|value}). */
    public List<String> idsSharing(Collection<String> identifierKeys) {
        if (identifierKeys.isEmpty()) {
            return List.of();
        }
        return jdbc.execute((java.sql.Connection connection) -> {
            Array keys = connection.createArrayOf("text", identifierKeys.toArray());
            Array hashes = connection.createArrayOf("text", identifierKeys.stream().map(RecordStore::hash).toArray());
            // a stored record's id first, the newest first; then an id kept for an app's authorization
            try (var statement = connection.prepareStatement("SELECT patient_id FROM (SELECT patient_id, 0 AS kind,"
                    + " refreshed_at AS at FROM izfhir_record WHERE identifiers && ? UNION ALL SELECT patient_id, 1,"
                    + " kept_until FROM izfhir_record_id WHERE identifier_hashes && ? AND kept_until > now()) ids"
                    + " ORDER BY kind, at DESC")) {
                statement.setArray(1, keys);
                statement.setArray(2, hashes);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Stores records; with a query key, they become that query's answer (and no other stored person
     * remains its answer). Without one, each keeps the query key it had.
     */
    public void save(List<PersonRecord> records, String queryKey) {
        List<Object[]> rows = new ArrayList<>(records.size());
        for (PersonRecord record : records) {
            rows.add(new Object[] {record.patientId(), record.identifierKeys().toArray(), Timestamp.from(record.refreshedAt()),
                    write(record.query()), write(record.sources().stream().map(a -> new StoredAnswer(a.registryId(),
                    a.registryName(), a.status().name(), a.message(), a.at(), a.since(), a.reused())).toList()),
                    fhir.newJsonParser().encodeResourceToString(record.outcome())});
        }
        // One transaction, committed without waiting for the disk: a copy lost in a crash is asked for again.
        jdbc.execute((java.sql.Connection connection) -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.execute("SET LOCAL synchronous_commit TO OFF");
                upsert(connection, rows, queryKey);
                if (queryKey != null) {
                    try (var unlink = connection.prepareStatement(
                            "UPDATE izfhir_record SET query_key = '' WHERE query_key = ? AND NOT (patient_id = ANY (?))")) {
                        unlink.setString(1, queryKey);
                        unlink.setArray(2, connection.createArrayOf("varchar",
                                records.stream().map(PersonRecord::patientId).toArray()));
                        unlink.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
        records.forEach(record -> cache.put(record.patientId(), record));
        if (queryKey != null) {
            idsByQuery.put(queryKey, records.stream().map(PersonRecord::patientId).toList());
        }
    }

    private static void upsert(java.sql.Connection connection, List<Object[]> rows, String queryKey) throws SQLException {
        try (var statement = connection.prepareStatement("INSERT INTO izfhir_record (query_key, identifiers,"
                + " patient_id, refreshed_at, query, sources, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (patient_id) DO UPDATE SET query_key = COALESCE(?, izfhir_record.query_key),"
                + " identifiers = EXCLUDED.identifiers, refreshed_at = EXCLUDED.refreshed_at,"
                + " query = EXCLUDED.query, sources = EXCLUDED.sources, outcome = EXCLUDED.outcome")) {
            for (Object[] row : rows) {
                statement.setString(1, queryKey == null ? "" : queryKey);
                statement.setArray(2, connection.createArrayOf("text", (Object[]) row[1]));
                statement.setString(3, (String) row[0]);
                statement.setTimestamp(4, (Timestamp) row[2]);
                statement.setString(5, (String) row[3]);
                statement.setString(6, (String) row[4]);
                statement.setString(7, (String) row[5]);
                statement.setString(8, queryKey);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Forgets a person whose registries no longer hold them. */
    public void delete(String patientId) {
        jdbc.update("DELETE FROM izfhir_record WHERE patient_id = ?", patientId);
        cache.invalidate(patientId);
        idsByQuery.asMap().values().removeIf(ids -> ids.contains(patientId));
    }

    /**
     * Deletes the records last refreshed before {@code before}; returns how many. One instance at a
     * time: the statement runs only while it holds the purge's advisory lock, and another instance
     * purging at the same moment deletes nothing (its next turn comes an interval later).
     */
    public int purge(Instant before) {
        List<String> ids = jdbc.queryForList("WITH turn AS (SELECT pg_try_advisory_xact_lock(?) AS mine),"
                + " ids AS (DELETE FROM izfhir_record_id WHERE kept_until < now() AND (SELECT mine FROM turn))"
                + " DELETE FROM izfhir_record WHERE refreshed_at < ? AND (SELECT mine FROM turn) RETURNING patient_id",
                String.class, PURGE_LOCK, Timestamp.from(before));
        cache.invalidateAll(ids);
        cache.asMap().values().removeIf(record -> record.refreshedAt().isBefore(before));
        idsByQuery.asMap().values().removeIf(kept -> kept.stream().anyMatch(ids::contains));
        return ids.size();
    }

    private PersonRecord read(ResultSet rs) throws SQLException {
        List<StoredAnswer> stored = readJson(rs.getString("sources"), new TypeReference<>() { });
        List<RegistryAnswer> sources = stored.stream().map(a -> new RegistryAnswer(a.registryId(), a.registryName(),
                RegistryStatus.valueOf(a.status()), reader.read(a.message(), a.registryId()), a.message(), null, a.at(),
                a.since(), a.reused())).toList();
        PersonQuery query = readJson(rs.getString("query"), new TypeReference<>() { });
        Instant refreshedAt = rs.getTimestamp("refreshed_at").toInstant();
        PersonRecord record = consolidator.record(rs.getString("patient_id"), new Consolidator.Person(sources,
                consolidator.match(query, sources.get(0).response().patient())), query, sources, refreshedAt);
        String outcome = rs.getString("outcome");
        return outcome.isEmpty() ? record
                : record.withOutcome(fhir.newJsonParser().parseResource(OperationOutcome.class, outcome));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record could not be written as JSON", e);
        }
    }

    private <T> T readJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record could not be read", e);
        }
    }
}
