package org.izfhir.registry;

import java.time.Duration;

/**
 * How one call to a registry ended: the HL7 answer, or a classified failure. Calls never throw;
 * a caller fanning out to many registries gets one result per registry.
 */
public sealed interface RegistryResult {

    String registryId();

    /** From the call to its result, retries and waits included. */
    Duration elapsed();

    /** How many times the message was sent (0 when the circuit breaker or the bulkhead stopped it). */
    int attempts();

    /** The registry answered: {@code message} is its HL7 answer (or the echo of a connectivity test). */
    record Answered(String registryId, String message, Duration elapsed, int attempts) implements RegistryResult {
    }

    record Failed(String registryId, RegistryFailure failure, Duration elapsed, int attempts) implements RegistryResult {
    }
}
