package org.izfhir.submit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.hl7.v2.MalformedMessageException;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.record.RegistryOutcomes;
import org.izfhir.registry.Registries;
import org.izfhir.registry.RegistryClient;
import org.izfhir.registry.RegistryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends deliveries taken from the {@link Outbox} and records how each ended. A registry's ACK is
 * final (accepted, accepted with warnings, rejected); a failure in transit (network, timeout, an
 * open circuit, a SOAP fault, an answer that is not HL7) queues the delivery again, each wait twice
 * the last, until the dose is older than the maximum age, when it is undeliverable.
 */
final class Deliverer {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

    private final Outbox outbox;
    private final Registries registries;
    private final SubmissionProperties properties;
    private final Clock clock;
    private final Executor executor;
    private final MeterRegistry meters;
    private final ResponseReader reader = new ResponseReader();

    Deliverer(Outbox outbox, Registries registries, SubmissionProperties properties, Clock clock, Executor executor,
              MeterRegistry meters) {
        this.outbox = outbox;
        this.registries = registries;
        this.properties = properties;
        this.clock = clock;
        this.executor = executor;
        this.meters = meters;
    }

    /** Sends new deliveries for the first time; completes when each has been recorded. */
    CompletableFuture<List<Delivery>> deliverNew(Collection<String> ids) {
        return sendAll(outbox.leaseNew(ids, clock.instant().plus(properties.lease())));
    }

    /**
     * Sends one batch of the deliveries due (any instance's); returns how many were taken. A
     * registry whose circuit is open is paused: one of its deliveries per batch probes it (the
     * call that closes the circuit once the registry is back), the rest wait without churning
     * the outbox.
     */
    int deliverDue() {
        Instant now = clock.instant();
        Instant leaseEnd = now.plus(properties.lease());
        List<String> paused = registries.all().stream()
                .filter(client -> client.circuitState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN)
                .map(RegistryClient::id).toList();
        List<Delivery> due = new java.util.ArrayList<>(outbox.leaseDue(properties.batchSize(), now, leaseEnd, paused, null));
        for (String registry : paused) {
            due.addAll(outbox.leaseDue(1, now, leaseEnd, List.of(), registry));
        }
        sendAll(due).join();
        return due.size();
    }

    private CompletableFuture<List<Delivery>> sendAll(List<Delivery> leased) {
        List<CompletableFuture<Delivery>> attempts = leased.stream().map(this::attempt).toList();
        return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                .thenApply(done -> attempts.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Delivery> attempt(Delivery delivery) {
        RegistryClient client = registries.get(delivery.registryId()).orElse(null);
        if (client == null) {
            return CompletableFuture.supplyAsync(() -> settle(delivery, failed(delivery,
                    "the registry " + delivery.registryId() + " is no longer configured")), executor);
        }
        Duration timeout = client.config().connectTimeout().plus(client.config().readTimeout());
        return client.send(delivery.message(), RegistryClient.Purpose.SUBMISSION, clock.instant().plus(timeout))
                .handleAsync((result, thrown) -> settle(delivery, result != null ? read(delivery, result)
                        : failed(delivery, "the call failed: " + thrown.getClass().getSimpleName())), executor);
    }

    /** What an attempt's result means: an ACK read, or a failure to retry. */
    private Attempt read(Delivery delivery, RegistryResult result) {
        if (result instanceof RegistryResult.Failed failed) {
            return failed.attempts() == 0 ? notSent(delivery, failed.failure().kind().meaning())
                    : failed(delivery, failed.failure().kind().meaning());
        }
        RegistryResponse answer = reader.read(((RegistryResult.Answered) result).message(), delivery.registryId());
        if (answer.kind() == Kind.UNREADABLE || !answer.header().messageType().startsWith("ACK")) {
            return failed(delivery, "the registry's answer is not an HL7 acknowledgment"
                    + (answer.problem().isEmpty() ? "" : " (" + answer.problem() + ")"));
        }
        Acknowledgments.Reading reading = Acknowledgments.read(answer, sent(delivery), delivery.registryId());
        return new Attempt(reading.state(), reading.outcome(), null);
    }

    /** How an attempt ended; {@code sent} false when it never left (circuit open, too many calls in flight). */
    private record Attempt(DeliveryState state, OperationOutcome outcome, String failure, boolean sent) {

        Attempt(DeliveryState state, OperationOutcome outcome, String failure) {
            this(state, outcome, failure, true);
        }
    }

    /** Held back here, not sent: tried again at the next poll, and not counted as an attempt. */
    private static Attempt notSent(Delivery delivery, String why) {
        Attempt failed = failed(delivery, why);
        return new Attempt(failed.state(), failed.outcome(), failed.failure(), false);
    }

    private static Attempt failed(Delivery delivery, String why) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.TRANSIENT)
                .setDiagnostics("Attempt " + delivery.attempts() + " failed: " + why)
                .addExtension(RegistryOutcomes.REGISTRY_EXTENSION, new StringType(delivery.registryId()));
        return new Attempt(DeliveryState.QUEUED, outcome, why);
    }

    private Delivery settle(Delivery delivery, Attempt attempt) {
        Instant now = clock.instant();
        Delivery settled;
        if (attempt.state() != DeliveryState.QUEUED) {
            settled = delivery.with(attempt.state(), attempt.outcome(), now, now);
        } else if (!attempt.sent()) {
            settled = delivery.notAttempted(delivery.outcome(), now.plus(properties.pollInterval()), now);
        } else if (now.isAfter(delivery.createdAt().plus(properties.maxAge()))) {
            settled = delivery.with(DeliveryState.UNDELIVERABLE, attempt.outcome(), now, now);
        } else {
            settled = delivery.with(DeliveryState.QUEUED, attempt.outcome(), now.plus(backoff(delivery.attempts())), now);
        }
        try {
            outbox.record(settled);
        } catch (RuntimeException e) {
            // the lease ends and the delivery is sent again: at least once, never lost
            log.warn("delivery={} registry={}: its outcome could not be recorded ({}); it will be sent again",
                    delivery.id(), delivery.registryId(), e.getClass().getSimpleName());
            return delivery;
        }
        meters.counter("izfhir.submissions.deliveries", "registry", delivery.registryId(), "outcome",
                !attempt.sent() ? "held" : attempt.state() == DeliveryState.QUEUED ? "retry" : settled.state().code()).increment();
        if (!attempt.sent()) {
            return settled;
        }
        if (attempt.failure() != null) {
            log.info("delivery={} registry={} attempt={} failed: {}; {}", delivery.id(), delivery.registryId(),
                    delivery.attempts(), attempt.failure(), settled.state() == DeliveryState.QUEUED
                            ? "next attempt at " + settled.nextAttemptAt() : "undeliverable after " + properties.maxAge());
        } else {
            log.info("delivery={} registry={} attempt={}: {}", delivery.id(), delivery.registryId(), delivery.attempts(),
                    settled.state().code());
        }
        return settled;
    }

    /** The wait after the given number of attempts: the first retry's, doubled each time, at most the maximum. */
    Duration backoff(int attempts) {
        Duration wait = properties.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(properties.maxRetryInterval()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(properties.maxRetryInterval()) > 0 ? properties.maxRetryInterval() : wait;
    }

    private static Message sent(Delivery delivery) {
        try {
            return new MessageReader().read(delivery.message());
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("a stored VXU does not read", e); // we built it
        }
    }
}
