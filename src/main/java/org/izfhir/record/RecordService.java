package org.izfhir.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.hl7.query.PersonQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consolidated record on demand: answers from the stored record while it is fresh, else asks
 * every registry at once (one consultation per person at a time, however many requests wait for
 * it), consolidates, stores and answers. What each registry said travels with every answer.
 */
public final class RecordService {

    private static final Logger log = LoggerFactory.getLogger(RecordService.class);

    private final RegistryFanOut fanOut;
    private final Consolidator consolidator;
    private final RecordStore store;
    private final RecordProperties properties;
    private final Clock clock;
    private final Map<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Counter consultations;
    private final Counter storedAnswers;

    /** A registry's candidate (Z31): a person it could not tell from others, scored against the query. */
    public record Candidate(String registryId, Patient patient, PersonMatcher.Match match) {
    }

    /**
     * The answer to a demographic search.
     *
     * @param records    the people found, best match first
     * @param candidates the registries' candidates, when some registry could not decide
     * @param outcome    one issue per registry
     */
    public record Found(List<PersonRecord> records, List<Candidate> candidates, OperationOutcome outcome) {
    }

    public RecordService(RegistryFanOut fanOut, Consolidator consolidator, RecordStore store,
                         RecordProperties properties, Clock clock, MeterRegistry meters) {
        this.fanOut = fanOut;
        this.consolidator = consolidator;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.consultations = meters.counter("izfhir.record.consultations");
        this.storedAnswers = meters.counter("izfhir.record.stored.answers");
    }

    /**
     * Finds a person by demographics: from the stored record when fresh and allowed, else from the
     * registries. Only an access to everyone's records may find people.
     */
    public Found find(PersonQuery query, PatientAccess access, boolean askRegistries) {
        access.checkFindsPeople();
        String key = queryKey(query);
        if (!askRegistries) {
            List<PersonRecord> stored = store.byQuery(key);
            if (!stored.isEmpty() && stored.stream().filter(this::fresh).count() == stored.size()) {
                storedAnswers.increment();
                OperationOutcome outcome = stored.get(0).outcome().copy();
                outcome.addIssue(RegistryOutcomes.askedAt(stored.get(0).refreshedAt()));
                return new Found(stored, List.of(), outcome);
            }
        }
        return singleFlight("query " + key, () -> consult(query, key));
    }

    /** How well a person matches a query: a consolidated Patient, or a registry's candidate. */
    public PersonMatcher.Match match(PersonQuery query, Patient patient) {
        return consolidator.match(query, patient);
    }

    /**
     * A stored person's record, refreshed from the registries first when older than the maximum
     * age or when asked; empty when no such record is stored, or the registries no longer hold it.
     * A record the access does not allow is refused before a row is read or a registry asked.
     */
    public Optional<PersonRecord> get(String patientId, PatientAccess access, boolean askRegistries) {
        access.checkRecord(patientId);
        Optional<PersonRecord> stored = store.get(patientId);
        if (stored.isEmpty()) {
            return stored;
        }
        PersonRecord record = stored.get();
        if (!askRegistries && fresh(record)) {
            storedAnswers.increment();
            return stored;
        }
        if (!askRegistries) {
            Optional<PersonRecord> newer = store.newer(record).filter(this::fresh);
            if (newer.isPresent()) {
                return newer;
            }
        }
        return singleFlight("patient " + patientId, () -> refresh(record));
    }

    /**
     * Keeps a Patient id for an app's authorization until {@code until}, beyond the record's
     * retention: when the record is gone, finding the person again by the same registry
     * identifiers gives them this id back.
     */
    public void keepId(String patientId, Instant until) {
        store.keepId(patientId, until);
    }

    /** Whether a Patient id's record is gone while an authorization keeps the id: finding the person again restores it. */
    public boolean awaitsRefinding(String patientId) {
        return store.get(patientId).isEmpty() && store.isKept(patientId);
    }

    /** Deletes stored records older than the retention; returns how many. */
    public int purge() {
        int purged = store.purge(clock.instant().minus(properties.retention()));
        if (purged > 0) {
            log.info("purged {} stored records older than {}", purged, properties.retention());
        }
        return purged;
    }

    private boolean fresh(PersonRecord record) {
        return properties.fresh(record.refreshedAt(), clock.instant());
    }

    private Found consult(PersonQuery query, String key) {
        Instant started = clock.instant();
        List<RegistryAnswer> earlier = store.byQuery(key).stream().flatMap(r -> r.sources().stream()).toList();
        List<RegistryAnswer> answers = RegistryAnswer.keepEarlier(
                fanOut.ask(query, properties.registriesDeadline(started), earlier), earlier);
        List<Consolidator.Person> people = consolidator.people(query, answers);
        List<PersonRecord> records = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Consolidator.Person person : people) {
            Optional<String> known = store.idsSharing(person.identifierKeys()).stream().filter(taken::add).findFirst();
            String id = known.orElseGet(this::newPatientId);
            taken.add(id);
            records.add(record(known.flatMap(store::get).orElse(null), id, person, query, answers));
        }
        if (!records.isEmpty()) {
            store.save(records, key);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (RegistryAnswer answer : answers) {
            if (answer.status() == RegistryStatus.CANDIDATES && answer.response() != null) {
                // The registry could not tell them apart: neither can its data alone.
                answer.response().candidates().forEach(c -> candidates.add(new Candidate(answer.registryId(), c,
                        consolidator.match(query, c).atMost(PersonMatcher.Grade.POSSIBLE))));
            }
        }
        List<RegistryAnswer> used = people.stream().flatMap(p -> p.sources().stream()).toList();
        OperationOutcome outcome = RegistryOutcomes.of(answers, used);
        logConsultation("search", answers, records.size(), started);
        return new Found(records, candidates, outcome);
    }

    private Optional<PersonRecord> refresh(PersonRecord record) {
        Instant started = clock.instant();
        List<RegistryAnswer> answers = RegistryAnswer.keepEarlier(fanOut.ask(record.query(),
                properties.registriesDeadline(started), record.sources()), record.sources());
        Set<String> known = new HashSet<>(record.identifierKeys());
        Optional<Consolidator.Person> same = consolidator.people(record.query(), answers).stream()
                .filter(p -> p.identifierKeys().stream().anyMatch(known::contains)).findFirst();
        logConsultation("refresh", answers, same.isPresent() ? 1 : 0, started);
        if (same.isEmpty()) {
            store.delete(record.patientId());
            return Optional.empty();
        }
        PersonRecord refreshed = record(record, record.patientId(), same.get(), record.query(), answers);
        store.save(List.of(refreshed), null);
        return Optional.of(refreshed);
    }

    /**
     * A person's record made of the consultation's answers: the stored one ({@code null} when none)
     * with new times when its registries gave the same answers again (its resources and their
     * encoded JSON stay valid), else consolidated anew.
     */
    private PersonRecord record(PersonRecord stored, String patientId, Consolidator.Person person, PersonQuery query,
                                List<RegistryAnswer> answers) {
        Instant now = now();
        return Optional.ofNullable(stored).flatMap(record -> consolidator.confirmed(record, person, query, answers, now))
                .orElseGet(() -> consolidator.record(patientId, person, query, answers, now));
    }

    /** The time of a record, to the microsecond: as the database keeps it, so a copy read back is the same. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @SuppressWarnings("unchecked")
    private <T> T singleFlight(String key, Supplier<T> work) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return (T) running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            consultations.increment();
            T result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private void logConsultation(String trigger, List<RegistryAnswer> answers, int people, Instant started) {
        if (log.isInfoEnabled()) {
            log.info("{}: {}; {} {} in {} ms", trigger, answers.stream()
                            .map(a -> a.registryId() + " " + a.status().code() + (a.reused() ? " (earlier answer kept)" : ""))
                            .collect(Collectors.joining(", ")), people, people == 1 ? "person" : "people",
                    Duration.between(started, clock.instant()).toMillis());
        }
    }

    private String newPatientId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "p" + HexFormat.of().formatHex(bytes);
    }

    /** The stored key of a query: a hash of its normalized demographics (never the demographics themselves). */
    static String queryKey(PersonQuery query) {
        StringBuilder text = new StringBuilder();
        for (Object part : new Object[] {Names.normalize(query.family()), Names.normalize(query.given()),
                Names.normalize(query.middle()), Names.normalize(query.suffix()),
                Names.normalize(query.mothersMaidenFamily()), Names.normalize(query.mothersMaidenGiven()),
                query.birthDate(), query.sex(), query.address(), query.phone(), query.multipleBirth(),
                query.birthOrder(), query.identifiers()}) {
            text.append(part).append('|');
        }
        return Digests.sha256(text.toString(), 32);
    }
}
