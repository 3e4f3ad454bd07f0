package org.izfhir.registry;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.izfhir.hl7.v2.MalformedMessageException;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.registry.RegistryFailure.Kind;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapFormatException;
import org.izfhir.registry.soap.SoapReply;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends HL7 messages to one registry over its SOAP transport and brings back its answer or a
 * classified failure. Calls are asynchronous and never throw: each ends in a
 * {@link RegistryResult}, within the caller's deadline.
 *
 * <p>Each call passes, outermost first, a retry (queries only, and only after failures a retry
 * can help), the registry's circuit breaker and its bulkhead. One attempt's timeout is the
 * registry's read timeout, cut short by the deadline.
 */
public final class RegistryClient {

    /** Why a message is sent: a query may be retried; a submission is sent once (a registry may not de-duplicate). */
    public enum Purpose {
        QUERY,
        SUBMISSION
    }

    private static final Logger log = LoggerFactory.getLogger("org.izfhir.registry.calls");
    private static final String METRIC = "izfhir.registry.calls";

    private final RegistryConfig config;
    private final HttpClient http;
    private final Supplier<URI> endpoint;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry meters;
    private final long maxAnswerBytes;
    private final boolean logMessages;

    RegistryClient(RegistryConfig config, HttpClient http, Supplier<URI> endpoint, CircuitBreaker circuitBreaker,
                   Bulkhead bulkhead, Retry retry, ScheduledExecutorService scheduler, MeterRegistry meters,
                   long maxAnswerBytes, boolean logMessages) {
        this.config = config;
        this.http = http;
        this.endpoint = endpoint;
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.retry = retry;
        this.scheduler = scheduler;
        this.meters = meters;
        this.maxAnswerBytes = maxAnswerBytes;
        this.logMessages = logMessages;
    }

    public RegistryConfig config() {
        return config;
    }

    public String id() {
        return config.id();
    }

    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    /** Sends one HL7 message ({@code submitSingleMessage}) and brings back the registry's HL7 answer. */
    public CompletableFuture<RegistryResult> send(String hl7, Purpose purpose, Instant deadline) {
        return call(Operation.SUBMIT_SINGLE_MESSAGE, hl7, purpose, deadline);
    }

    /** The WSDL's {@code connectivityTest}: the registry echoes the text back. Never retried. */
    public CompletableFuture<RegistryResult> connectivityTest(String echo, Instant deadline) {
        return call(Operation.CONNECTIVITY_TEST, echo, Purpose.SUBMISSION, deadline);
    }

    private CompletableFuture<RegistryResult> call(Operation operation, String content, Purpose purpose, Instant deadline) {
        long start = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<RegistryFailure> lastFailure = new AtomicReference<>();
        Supplier<CompletionStage<String>> attempt = () -> {
            RegistryFailure previous = lastFailure.get();
            if (previous != null && !Instant.now().isBefore(deadline)) {
                // no time left for this retry: report what went wrong, not the deadline
                return CompletableFuture.failedFuture(previous.notRetryable());
            }
            attempts.incrementAndGet();
            return exchange(operation, content, deadline).whenComplete((answer, error) -> {
                if (unwrap(error) instanceof RegistryFailure failure) {
                    lastFailure.set(failure);
                }
            });
        };
        Supplier<CompletionStage<String>> guarded = CircuitBreaker.decorateCompletionStage(circuitBreaker,
                Bulkhead.decorateCompletionStage(bulkhead, attempt));
        if (purpose == Purpose.QUERY && operation == Operation.SUBMIT_SINGLE_MESSAGE) {
            guarded = Retry.decorateCompletionStage(retry, scheduler, guarded);
        }
        CompletionStage<String> stage;
        try {
            stage = guarded.get();
        } catch (RuntimeException e) { // a decorator refusing synchronously
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.toCompletableFuture().handle((answer, error) -> {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            RegistryResult result = error == null
                    ? new RegistryResult.Answered(config.id(), answer, elapsed, attempts.get())
                    : new RegistryResult.Failed(config.id(), classify(unwrap(error), deadline), elapsed, attempts.get());
            record(operation, purpose, content, result);
            return result;
        });
    }

    /** One HTTP exchange: POST the envelope, read the reply, turn faults and errors into {@link RegistryFailure}. */
    private CompletableFuture<String> exchange(Operation operation, String content, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            return CompletableFuture.failedFuture(
                    new RegistryFailure(config.id(), Kind.TIMEOUT, false, "the deadline passed before the call"));
        }
        boolean deadlineBound = left.compareTo(config.readTimeout()) < 0;
        Duration timeout = deadlineBound ? left : config.readTimeout();
        SoapRequest request = new SoapRequest(config.transport(), operation, config.username(), config.password(),
                config.facilityId(), config.destinationId(), content);
        HttpRequest httpRequest;
        try {
            httpRequest = HttpRequest.newBuilder(endpoint.get())
                    .timeout(timeout)
                    .header("Content-Type", SoapCodec.contentType(config.transport(), operation))
                    .header("Accept", SoapCodec.MEDIA_TYPE + ", text/xml, */*")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(SoapCodec.writeRequest(request)))
                    .build();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new RegistryFailure(config.id(), Kind.NETWORK, false, "the endpoint cannot be called: " + e.getMessage()));
        }
        return http.sendAsync(httpRequest, LimitedBody.handler(maxAnswerBytes))
                // the HTTP timeout ends once headers arrive; this also bounds a body that trickles in
                .orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(classify(unwrap(error), deadlineBound, timeout));
                    }
                    return read(response);
                });
    }

    private String read(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        SoapReply reply;
        try {
            reply = SoapCodec.readReply(response.body());
        } catch (SoapFormatException e) {
            String type = response.headers().firstValue("Content-Type").orElse("no content type");
            if (status >= 300) {
                boolean retryable = status >= 500 || status == 408 || status == 429;
                throw new CompletionException(new RegistryFailure(config.id(), Kind.HTTP_ERROR, retryable,
                        "HTTP " + status + " (" + type + ")"));
            }
            throw new CompletionException(new RegistryFailure(config.id(), Kind.NOT_SOAP, false,
                    e.getMessage() + " (HTTP " + status + ", " + type + ")"));
        }
        if (reply.isFault()) {
            throw new CompletionException(RegistryFailure.of(config.id(), reply.fault()));
        }
        return reply.content();
    }

    private RegistryFailure classify(Throwable error, boolean deadlineBound, Duration timeout) {
        if (error instanceof RegistryFailure failure) {
            return failure;
        }
        if (error instanceof LimitedBody.TooLargeException tooLarge) {
            return new RegistryFailure(config.id(), Kind.ANSWER_TOO_LARGE, false, tooLarge.getMessage());
        }
        if (error instanceof HttpConnectTimeoutException) {
            return new RegistryFailure(config.id(), Kind.CONNECT_TIMEOUT, true,
                    "no connection within " + seconds(config.connectTimeout()));
        }
        if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
            return new RegistryFailure(config.id(), Kind.TIMEOUT, !deadlineBound, "no answer within " + seconds(timeout)
                    + (deadlineBound ? " (the caller's deadline)" : " (the read timeout)"));
        }
        if (has(error, UnresolvedAddressException.class) || has(error, UnknownHostException.class)) {
            return new RegistryFailure(config.id(), Kind.UNKNOWN_HOST, false, "host " + endpoint.get().getHost());
        }
        if (has(error, SSLException.class)) {
            return new RegistryFailure(config.id(), Kind.TLS, false, message(find(error, SSLException.class)));
        }
        if (error instanceof ConnectException) {
            return new RegistryFailure(config.id(), Kind.CONNECTION_REFUSED, true, message(error));
        }
        if (error instanceof IOException) {
            return new RegistryFailure(config.id(), Kind.NETWORK, true, message(error));
        }
        return new RegistryFailure(config.id(), Kind.NETWORK, false, message(error));
    }

    /** The failure of a whole call, including what the resilience decorators refused. */
    private RegistryFailure classify(Throwable error, Instant deadline) {
        if (error instanceof CallNotPermittedException) {
            return new RegistryFailure(config.id(), Kind.CIRCUIT_OPEN, false,
                    "after repeated failures; calls resume within " + seconds(circuitBreaker.getCircuitBreakerConfig()
                            .getWaitIntervalFunctionInOpenState().apply(1) / 1000.0));
        }
        if (error instanceof BulkheadFullException) {
            return new RegistryFailure(config.id(), Kind.TOO_MANY_CALLS, false,
                    bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " calls already in flight");
        }
        return classify(error, !Instant.now().isBefore(deadline), config.readTimeout());
    }

    private void record(Operation operation, Purpose purpose, String sent, RegistryResult result) {
        String name = operation == Operation.CONNECTIVITY_TEST ? "connectivity-test" : purpose.name().toLowerCase(Locale.ROOT);
        String outcome;
        String status = "-";
        if (result instanceof RegistryResult.Answered answered) {
            outcome = "answered";
            if (operation == Operation.SUBMIT_SINGLE_MESSAGE) {
                status = acknowledgment(answered.message());
            }
        } else {
            outcome = ((RegistryResult.Failed) result).failure().kind().tag();
        }
        Timer.builder(METRIC)
                .description("Calls to registries, from the call to its result (retries included)")
                .tag("registry", config.id()).tag("operation", name).tag("outcome", outcome).tag("status", status)
                .publishPercentileHistogram()
                .register(meters)
                .record(result.elapsed());
        // A clean answer is counted in the metric (and logged at debug); a failure or a retry is logged.
        boolean clean = result instanceof RegistryResult.Answered && result.attempts() == 1;
        if (clean ? log.isDebugEnabled() : log.isInfoEnabled()) {
            String failure = result instanceof RegistryResult.Failed failed ? " failure=\"" + failed.failure().getMessage()
                    + "\" retryable=" + failed.failure().retryable() : "";
            String line = "registry={} operation={} outcome={} status={} attempts={} ms={}{}";
            Object[] values = {config.id(), name, outcome, status, result.attempts(), result.elapsed().toMillis(), failure};
            if (clean) {
                log.debug(line, values);
            } else {
                log.info(line, values);
            }
        }
        if (operation == Operation.SUBMIT_SINGLE_MESSAGE && (logMessages || log.isDebugEnabled())) {
            String answer = result instanceof RegistryResult.Answered answered ? answered.message() : null;
            if (logMessages) {
                log.info("registry={} sent (izfhir.registry.log-messages is on: PHI follows): {}", config.id(), sent);
                log.info("registry={} answer: {}", config.id(), answer);
            } else {
                log.debug("registry={} sent: {}", config.id(), Hl7LogMask.mask(sent));
                log.debug("registry={} answer: {}", config.id(), answer == null ? "(none)" : Hl7LogMask.mask(answer));
            }
        }
    }

    /**
     * QAK-2 (query status) when present, else MSA-1; "unreadable" for a non-HL7 answer. Only the
     * segments up to QAK are read (they open an answer): the whole answer is read once, later.
     */
    private static String acknowledgment(String answer) {
        try {
            Message message = new MessageReader().read(throughSegment(answer, "QAK"));
            String status = message.first("QAK").map(qak -> qak.get(2))
                    .filter(s -> !s.isBlank())
                    .or(() -> message.first("MSA").map(msa -> msa.get(1)))
                    .orElse("");
            return status.isBlank() ? "none" : status.toUpperCase(Locale.ROOT);
        } catch (MalformedMessageException | RuntimeException e) {
            return "unreadable";
        }
    }

    /** The text up to the end of the first segment named {@code name}; all of it when there is none. */
    private static String throughSegment(String message, String name) {
        if (message.length() < 4 || !message.startsWith("MSH")) {
            return message;
        }
        String start = name + message.charAt(3);
        for (int at = message.indexOf(start); at > 0; at = message.indexOf(start, at + 1)) {
            char before = message.charAt(at - 1);
            if (before == '\r' || before == '\n') {
                int end = at;
                while (end < message.length() && message.charAt(end) != '\r' && message.charAt(end) != '\n') {
                    end++;
                }
                return message.substring(0, end);
            }
        }
        return message;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        return find(error, type) != null;
    }

    private static Throwable find(Throwable error, Class<? extends Throwable> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return current;
            }
        }
        return null;
    }

    private static String message(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String seconds(Duration duration) {
        return seconds(duration.toMillis() / 1000.0);
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
