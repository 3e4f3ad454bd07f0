package org.izfhir.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the server treats every registry ({@code izfhir.registry.*}); the registries themselves
 * are listed in the registries file.
 *
 * @param maxConcurrentCalls calls in flight per registry (bulkhead); more fail at once as TOO_MANY_CALLS
 * @param retries            extra attempts of a query after a failure a retry can help; submissions are never retried
 * @param retryBackoff       the wait before the first retry, doubled for each next one
 * @param maxAnswerSize      a larger answer is dropped as ANSWER_TOO_LARGE
 * @param healthCheckInterval how old a connectivity test may be before the health endpoint runs a new one
 * @param logMessages        log whole HL7 messages (PHI!): for debugging only, off by default
 * @param answerThreads      the threads that read every registry's answers and run what follows them
 *                           (the HTTP clients' own executor, shared by all registries)
 */
@ConfigurationProperties("izfhir.registry")
public record RegistryProperties(@DefaultValue("32") int maxConcurrentCalls,
                                 @DefaultValue("2") int retries,
                                 @DefaultValue("200ms") Duration retryBackoff,
                                 @DefaultValue CircuitBreakerProperties circuitBreaker,
                                 @DefaultValue("8MB") DataSize maxAnswerSize,
                                 @DefaultValue("60s") Duration healthCheckInterval,
                                 @DefaultValue("false") boolean logMessages,
                                 @DefaultValue("8") int answerThreads) {

    public RegistryProperties {
        if (maxConcurrentCalls < 1 || answerThreads < 1) {
            throw new IllegalArgumentException("izfhir.registry: max-concurrent-calls and answer-threads must be at"
                    + " least 1; got " + maxConcurrentCalls + " and " + answerThreads);
        }
    }

    /**
     * @param failureRate  percentage of failed calls in the window that opens the circuit
     * @param window       calls the failure rate is computed over
     * @param minimumCalls calls needed before the rate counts
     * @param openFor      how long calls are refused before a few are let through again
     */
    public record CircuitBreakerProperties(@DefaultValue("50") float failureRate,
                                           @DefaultValue("20") int window,
                                           @DefaultValue("10") int minimumCalls,
                                           @DefaultValue("30s") Duration openFor) {
    }

    /** The defaults, for code that runs without Spring (tests, tools). */
    public static RegistryProperties defaults() {
        return new RegistryProperties(32, 2, Duration.ofMillis(200),
                new CircuitBreakerProperties(50, 20, 10, Duration.ofSeconds(30)), DataSize.ofMegabytes(8),
                Duration.ofSeconds(60), false, 8);
    }
}
