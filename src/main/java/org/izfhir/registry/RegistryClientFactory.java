package org.izfhir.registry;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a {@link RegistryClient} per registry: its HTTP client (timeouts, mutual TLS), its
 * circuit breaker, bulkhead and retry, all reported to Micrometer. Usable without Spring.
 */
public final class RegistryClientFactory implements AutoCloseable {

    private final RegistryProperties properties;
    private final MeterRegistry meters;
    private final EndpointResolver endpoints;
    private final CircuitBreakerRegistry circuitBreakers;
    private final BulkheadRegistry bulkheads;
    private final RetryRegistry retries;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService answers;

    /** @param endpoints where calls to each registry's configured endpoint go */
    public RegistryClientFactory(RegistryProperties properties, MeterRegistry meters, EndpointResolver endpoints) {
        this.properties = properties;
        this.meters = meters;
        this.endpoints = endpoints;
        RegistryProperties.CircuitBreakerProperties breaker = properties.circuitBreaker();
        this.circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRate())
                .slidingWindowSize(breaker.window())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(Math.max(1, Math.min(3, breaker.minimumCalls())))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(e -> failure(e) instanceof RegistryFailure failure && failure.registryUnwell())
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(1 + Math.max(0, properties.retries()))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryBackoff(), 2.0))
                .retryOnException(e -> failure(e) instanceof RegistryFailure failure && failure.retryable())
                .failAfterMaxAttempts(false)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "registry-retry");
            thread.setDaemon(true);
            return thread;
        });
        // The HTTP clients' executor, not the JDK's shared pool: how many threads read answers is a setting, the
        // same in tests and in production, whatever the number of processors.
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.answers = Executors.newFixedThreadPool(properties.answerThreads(), runnable -> {
            Thread thread = new Thread(runnable, "registry-answer-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public RegistryClient create(RegistryConfig config) {
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(answers);
        if (config.tls() != null) {
            http.sslContext(sslContext(config));
        }
        CircuitBreaker circuitBreaker = circuitBreakers.circuitBreaker(config.id());
        Bulkhead bulkhead = bulkheads.bulkhead(config.id());
        Retry retry = retries.retry(config.id());
        return new RegistryClient(config, http.build(), endpoints.resolve(URI.create(config.endpoint())), circuitBreaker,
                bulkhead, retry, scheduler, meters, properties.maxAnswerSize().toBytes(), properties.logMessages());
    }

    /** Our client certificate from the key store, the registry's CA from the trust store (JDK defaults when absent). */
    private static SSLContext sslContext(RegistryConfig config) {
        RegistryConfig.Tls tls = config.tls();
        try {
            KeyManagerFactory keys = null;
            if (tls.keyStore() != null) {
                char[] password = chars(tls.keyStorePassword());
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(tls.keyStore(), password), password);
            }
            TrustManagerFactory trust = null;
            if (tls.trustStore() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(tls.trustStore(), chars(tls.trustStorePassword())));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("registry '" + config.id() + "': the TLS stores cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    private static Throwable failure(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        answers.shutdownNow();
    }
}
