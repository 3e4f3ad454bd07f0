package org.izfhir.submit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable outbox of submissions, in PostgreSQL and shared by every instance: each accepted
 * version of a dose ({@code izfhir_dose}) and its deliveries ({@code izfhir_delivery}), written in
 * one transaction, so that a dose is either refused or certain to be delivered.
 *
 * <p>An instance takes deliveries due by leasing them: one statement locks rows no other instance
 * holds ({@code FOR UPDATE SKIP LOCKED}), counts the attempt and moves their next attempt past the
 * lease. An instance that dies while sending leaves the rows to be taken again when the lease ends;
 * delivery is at least once, and a resend carries the same VXU.
 */
public final class Outbox {

    private static final String DELIVERY_COLUMNS = "id, dose_id, dose_version, submitter, patient_id, registry_id,"
            + " reason, control_id, message, state, attempts, next_attempt_at, created_at, updated_at, outcome";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final FhirContext fhir;

    /** What is waiting: how many deliveries, and since when the oldest. */
    public record Backlog(long pending, Instant oldestPending) {

        /** How long the oldest pending delivery has waited; zero when none waits. */
        public java.time.Duration oldestAge(Instant now) {
            return oldestPending == null ? java.time.Duration.ZERO : java.time.Duration.between(oldestPending, now);
        }
    }

    /** The criteria of a Task search; null or empty means any. */
    public record Filter(String submitter, Collection<String> doseIds, Collection<String> registryIds,
                         Collection<DeliveryState> states, Instant updatedFrom, Instant updatedTo, int limit) {
    }

    public Outbox(DataSource dataSource, FhirContext fhir) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.fhir = fhir;
    }

    /** Creates the tables and their indexes when missing. */
    public void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_dose (id varchar(64) NOT NULL, version int NOT NULL,"
                + " submitter varchar(200) NOT NULL, patient_id varchar(64), person_key varchar(64) NOT NULL,"
                + " action char(1) NOT NULL, immunization text NOT NULL, patient text NOT NULL,"
                + " accepted_at timestamptz NOT NULL, PRIMARY KEY (id, version))");
        jdbc.execute("CREATE TABLE IF NOT EXISTS izfhir_delivery (id varchar(64) PRIMARY KEY,"
                + " dose_id varchar(64) NOT NULL, dose_version int NOT NULL, submitter varchar(200) NOT NULL,"
                + " patient_id varchar(64), registry_id varchar(64) NOT NULL, reason varchar(16) NOT NULL,"
                + " control_id varchar(40) NOT NULL, message text NOT NULL, state varchar(32) NOT NULL,"
                + " attempts int NOT NULL, next_attempt_at timestamptz NOT NULL, created_at timestamptz NOT NULL,"
                + " updated_at timestamptz NOT NULL, outcome text NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_delivery_due ON izfhir_delivery (next_attempt_at)"
                + " WHERE state = 'queued'");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_delivery_dose ON izfhir_delivery (dose_id)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS izfhir_delivery_submitter ON izfhir_delivery (submitter, updated_at)");
    }

    /** Writes new versions of doses and their deliveries, all or nothing. */
    public void accept(List<Dose> doses, List<Delivery> deliveries) {
        IParser parser = fhir.newJsonParser();
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate("INSERT INTO izfhir_dose (id, version, submitter, patient_id, person_key, action, immunization,"
                    + " patient, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", doses, doses.size(), (ps, dose) -> {
                        ps.setString(1, dose.id());
                        ps.setInt(2, dose.version());
                        ps.setString(3, dose.submitter());
                        ps.setString(4, dose.patientId());
                        ps.setString(5, dose.personKey());
                        ps.setString(6, dose.action().code());
                        ps.setString(7, parser.encodeResourceToString(dose.immunization()));
                        ps.setString(8, parser.encodeResourceToString(dose.patient()));
                        ps.setTimestamp(9, Timestamp.from(dose.acceptedAt()));
                    });
            jdbc.batchUpdate("INSERT INTO izfhir_delivery (" + DELIVERY_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", deliveries, deliveries.size(), (ps, d) -> {
                        ps.setString(1, d.id());
                        ps.setString(2, d.doseId());
                        ps.setInt(3, d.doseVersion());
                        ps.setString(4, d.submitter());
                        ps.setString(5, d.patientId());
                        ps.setString(6, d.registryId());
                        ps.setString(7, d.reason().code());
                        ps.setString(8, d.controlId());
                        ps.setString(9, d.message());
                        ps.setString(10, d.state().code());
                        ps.setInt(11, d.attempts());
                        ps.setTimestamp(12, Timestamp.from(d.nextAttemptAt()));
                        ps.setTimestamp(13, Timestamp.from(d.createdAt()));
                        ps.setTimestamp(14, Timestamp.from(d.updatedAt()));
                        ps.setString(15, encode(d.outcome()));
                    });
        });
    }

    /** The latest version of a dose. */
    public Optional<Dose> dose(String id) {
        return jdbc.query("SELECT id, version, submitter, patient_id, person_key, action, immunization, patient,"
                + " accepted_at FROM izfhir_dose WHERE id = ? ORDER BY version DESC LIMIT 1", this::readDose, id)
                .stream().findFirst();
    }

    /**
     * Leases new deliveries (never attempted) for their first attempt. They are written already
     * leased to the instance that accepted them, so that no poller takes them first; one whose
     * instance died before sending is taken when that lease ends.
     */
    public List<Delivery> leaseNew(Collection<String> ids, Instant leaseEnd) {
        return lease(leaseEnd, "id = ANY (?) AND attempts = 0", (Object) ids.toArray(String[]::new));
    }

    /**
     * Leases up to {@code limit} deliveries due, the longest waiting first: of any registry but
     * those paused, or of the one registry named when {@code only} is not null.
     */
    public List<Delivery> leaseDue(int limit, Instant now, Instant leaseEnd, Collection<String> paused, String only) {
        return lease(leaseEnd, "next_attempt_at <= ?" + (only == null ? " AND registry_id <> ALL (?)" : " AND registry_id = ?")
                        + " ORDER BY next_attempt_at LIMIT ?", Timestamp.from(now),
                only == null ? paused.toArray(String[]::new) : only, limit);
    }

    /**
     * Counts an attempt of the queued deliveries a condition selects, among those no other instance
     * holds ({@code FOR UPDATE SKIP LOCKED}), and moves their next attempt to the lease's end.
     */
    private List<Delivery> lease(Instant leaseEnd, String condition, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = Timestamp.from(leaseEnd);
        System.arraycopy(args, 0, all, 1, args.length);
        return jdbc.query("UPDATE izfhir_delivery SET attempts = attempts + 1, next_attempt_at = ? WHERE id IN ("
                + "SELECT id FROM izfhir_delivery WHERE state = 'queued' AND " + condition + " FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + DELIVERY_COLUMNS, this::readDelivery, all);
    }

    /** Records how an attempt ended: a final state, or queued again for {@code nextAttempt}. */
    public void record(Delivery delivery) {
        jdbc.update("UPDATE izfhir_delivery SET state = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, outcome = ?"
                        + " WHERE id = ? AND state = 'queued'", delivery.state().code(), delivery.attempts(),
                Timestamp.from(delivery.nextAttemptAt()), Timestamp.from(delivery.updatedAt()),
                encode(delivery.outcome()), delivery.id());
    }

    public Optional<Delivery> delivery(String id) {
        return jdbc.query("SELECT " + DELIVERY_COLUMNS + " FROM izfhir_delivery WHERE id = ?", this::readDelivery, id)
                .stream().findFirst();
    }

    /** The deliveries a filter selects, the most recently changed first. */
    public List<Delivery> deliveries(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + DELIVERY_COLUMNS + " FROM izfhir_delivery WHERE true");
        List<Object> args = new ArrayList<>();
        if (filter.submitter() != null) {
            sql.append(" AND submitter = ?");
            args.add(filter.submitter());
        }
        anyOf(sql, args, "dose_id", filter.doseIds());
        anyOf(sql, args, "registry_id", filter.registryIds());
        anyOf(sql, args, "state", filter.states() == null ? null : filter.states().stream().map(DeliveryState::code).toList());
        if (filter.updatedFrom() != null) {
            sql.append(" AND updated_at >= ?");
            args.add(Timestamp.from(filter.updatedFrom()));
        }
        if (filter.updatedTo() != null) {
            sql.append(" AND updated_at < ?");
            args.add(Timestamp.from(filter.updatedTo()));
        }
        sql.append(" ORDER BY updated_at DESC, id LIMIT ?");
        args.add(filter.limit());
        return jdbc.query(sql.toString(), this::readDelivery, args.toArray());
    }

    private static void anyOf(StringBuilder sql, List<Object> args, String column, Collection<String> values) {
        if (values != null && !values.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ANY (?)");
            args.add(values.toArray(String[]::new));
        }
    }

    public Backlog backlog() {
        return jdbc.queryForObject("SELECT count(*), min(created_at) FROM izfhir_delivery WHERE state = 'queued'",
                (rs, row) -> new Backlog(rs.getLong(1), instant(rs, 2)));
    }

    private Dose readDose(ResultSet rs, int row) throws SQLException {
        IParser parser = fhir.newJsonParser();
        return new Dose(rs.getString("id"), rs.getInt("version"), rs.getString("submitter"), rs.getString("patient_id"),
                rs.getString("person_key"), Action.ofCode(rs.getString("action")),
                parser.parseResource(Immunization.class, rs.getString("immunization")),
                parser.parseResource(Patient.class, rs.getString("patient")), instant(rs, "accepted_at"));
    }

    private Delivery readDelivery(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("outcome");
        return new Delivery(rs.getString("id"), rs.getString("dose_id"), rs.getInt("dose_version"),
                rs.getString("submitter"), rs.getString("patient_id"), rs.getString("registry_id"),
                Delivery.Reason.ofCode(rs.getString("reason")), rs.getString("control_id"), rs.getString("message"),
                DeliveryState.ofCode(rs.getString("state")), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"),
                outcome.isEmpty() ? new OperationOutcome() : fhir.newJsonParser().parseResource(OperationOutcome.class, outcome));
    }

    private String encode(OperationOutcome outcome) {
        return outcome.hasIssue() ? fhir.newJsonParser().encodeResourceToString(outcome) : "";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
