package org.izfhir.registry;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * One health indicator per registry under {@code /actuator/health/registries}, from the WSDL's
 * {@code connectivityTest}. A test's result is kept for the health-check interval: probes read
 * the last result and a stale one is refreshed in the background, so a busy probe never floods a
 * registry. Registries are not part of readiness: one registry down must not take the server out.
 */
public final class RegistryHealth implements CompositeHealthContributor {

    private static final Duration MAX_TEST_TIME = Duration.ofSeconds(10);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(2);

    private final Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    private final AsyncLoadingCache<String, Health> results;
    private final Registries registries;

    public RegistryHealth(Registries registries, Duration interval) {
        this.registries = registries;
        this.results = Caffeine.newBuilder()
                .refreshAfterWrite(interval)
                .buildAsync((id, executor) -> test(id));
        registries.all().forEach(client -> indicators.put(client.id(), () -> health(client.id())));
    }

    private Health health(String id) {
        CompletableFuture<Health> result = results.get(id);
        Health pending = Health.unknown().withDetail("connectivityTest", "running").build();
        try {
            return result.isDone() ? result.join() : result.copy().completeOnTimeout(pending, FIRST_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS).join();
        } catch (RuntimeException e) {
            return Health.unknown().withDetail("connectivityTest", "could not run").build();
        }
    }

    private CompletableFuture<Health> test(String id) {
        RegistryClient client = registries.get(id).orElseThrow();
        RegistryConfig config = client.config();
        Duration limit = config.readTimeout().compareTo(MAX_TEST_TIME) < 0 ? config.readTimeout() : MAX_TEST_TIME;
        String echo = "izfhir health " + Instant.now().getEpochSecond();
        return client.connectivityTest(echo, Instant.now().plus(limit)).thenApply(result -> {
            Health.Builder health = result instanceof RegistryResult.Answered answered && echo.equals(answered.message().strip())
                    ? Health.up() : Health.down();
            health.withDetail("transport", config.transport().configName())
                    .withDetail("endpoint", endpointForDisplay(config.endpoint()))
                    .withDetail("circuitBreaker", client.circuitState().toString())
                    .withDetail("testedAt", Instant.now().toString())
                    .withDetail("ms", result.elapsed().toMillis());
            if (result instanceof RegistryResult.Failed failed) {
                health.withDetail("failure", failed.failure().kind().tag())
                        .withDetail("reason", failed.failure().getMessage());
            } else if (result instanceof RegistryResult.Answered answered && !echo.equals(answered.message().strip())) {
                health.withDetail("reason", "the connectivity test did not echo the text sent");
            }
            if (client.circuitState() == CircuitBreaker.State.OPEN) {
                health.down();
            }
            return health.build();
        });
    }

    /** Without a query string, which could carry a token. */
    private static String endpointForDisplay(String endpoint) {
        int query = endpoint.indexOf('?');
        return query < 0 ? endpoint : endpoint.substring(0, query);
    }

    @Override
    public HealthContributor getContributor(String name) {
        return indicators.get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return indicators.entrySet().stream()
                .map(e -> NamedContributor.<HealthContributor>of(e.getKey(), e.getValue()))
                .iterator();
    }
}
