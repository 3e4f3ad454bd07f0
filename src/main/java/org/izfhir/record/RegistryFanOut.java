package org.izfhir.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.izfhir.RandomIds;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.query.QueryBuilder;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.SameAnswer;
import org.izfhir.registry.Registries;
import org.izfhir.registry.RegistryClient;
import org.izfhir.registry.RegistryFailure;
import org.izfhir.registry.RegistryResult;

/**
 * Asks every registry about one person at once (QBP^Q11 with each registry's own profile, Z34 or
 * Z44) and gathers every answer by one deadline. A registry that fails or is late costs only its
 * own answer: the result always holds one {@link RegistryAnswer} per registry. An answer that
 * repeats the registry's earlier one ({@link SameAnswer}) is that earlier answer, given again: it is
 * not read again, and the record made of it stays as it is.
 */
public final class RegistryFanOut {

    /** Of a message control id or query tag (never PHI): MSH-10 holds 20 characters in v2.5.1. */
    private static final int ID_LENGTH = 20;

    private final Registries registries;
    private final QueryBuilder queries = new QueryBuilder();
    private final ResponseReader reader = new ResponseReader();
    private final Clock clock;

    public RegistryFanOut(Registries registries, Clock clock) {
        this.registries = registries;
        this.clock = clock;
    }

    /**
     * Asks every registry; returns when all have answered or failed, or at the deadline.
     *
     * @param earlier the registries' earlier answers to the same question (those of the stored record)
     */
    public List<RegistryAnswer> ask(PersonQuery query, Instant deadline, List<RegistryAnswer> earlier) {
        List<RegistryClient> clients = registries.all();
        List<CompletableFuture<RegistryAnswer>> calls = new ArrayList<>(clients.size());
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        for (RegistryClient client : clients) {
            String message = queries.build(client.config().queryProfile(), query, client.config().header(),
                    RandomIds.next(ID_LENGTH), RandomIds.next(ID_LENGTH), now, QueryBuilder.DEFAULT_MAX_RECORDS);
            calls.add(client.send(message, RegistryClient.Purpose.QUERY, deadline)
                    .thenApply(result -> read(client, result, earlier)));
        }
        List<RegistryAnswer> answers = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            answers.add(await(calls.get(i), clients.get(i), deadline));
        }
        return answers;
    }

    private RegistryAnswer await(CompletableFuture<RegistryAnswer> call, RegistryClient client, Instant deadline) {
        try {
            // The clients end every call by the deadline; the grace covers their own bookkeeping only.
            long wait = Math.max(0, Duration.between(clock.instant(), deadline).toMillis()) + 250;
            return call.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(client, new RegistryFailure(client.id(), RegistryFailure.Kind.TIMEOUT, false,
                    "the consultation was interrupted"));
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            call.cancel(true);
            return failed(client, new RegistryFailure(client.id(), RegistryFailure.Kind.TIMEOUT, false,
                    "no answer by the consultation's deadline"));
        }
    }

    private RegistryAnswer read(RegistryClient client, RegistryResult result, List<RegistryAnswer> earlier) {
        if (result instanceof RegistryResult.Answered answered) {
            for (RegistryAnswer before : earlier) {
                if (before.registryId().equals(client.id()) && before.response() != null
                        && SameAnswer.of(before.message(), answered.message())) {
                    return before.givenAgain(clock.instant());
                }
            }
            RegistryResponse response = reader.read(answered.message(), client.id());
            return new RegistryAnswer(client.id(), client.config().name(), RegistryStatus.of(response.kind()),
                    response, answered.message(), null, clock.instant());
        }
        return failed(client, ((RegistryResult.Failed) result).failure());
    }

    private RegistryAnswer failed(RegistryClient client, RegistryFailure failure) {
        return new RegistryAnswer(client.id(), client.config().name(), RegistryStatus.of(failure), null, "", failure,
                clock.instant());
    }
}
