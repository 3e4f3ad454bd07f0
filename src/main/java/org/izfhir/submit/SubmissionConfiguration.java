package org.izfhir.submit;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.izfhir.codes.Codes;
import org.izfhir.forecast.CdsiEngine;
import org.izfhir.registry.Registries;
import org.izfhir.registry.RegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Dose submissions: the outbox, the deliverer with its own threads, the poller that delivers what
 * is due (retries, and what an instance that died left), their metrics and health.
 */
@Configuration(proxyBeanMethods = false)
public class SubmissionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SubmissionConfiguration.class);

    @Bean
    Outbox outbox(DataSource dataSource, FhirContext fhir) {
        Outbox outbox = new Outbox(dataSource, fhir);
        outbox.createSchema();
        return outbox;
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService deliveryExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "izfhir-delivery-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    Deliverer deliverer(Outbox outbox, Registries registries, SubmissionProperties properties,
                        ExecutorService deliveryExecutor, MeterRegistry meters) {
        return new Deliverer(outbox, registries, properties, Clock.systemUTC(), deliveryExecutor, meters);
    }

    @Bean
    Submissions submissions(Outbox outbox, Deliverer deliverer, Registries registries, Codes codes, CdsiEngine cdsi,
                            SubmissionProperties properties) {
        ZoneId zone = ZoneId.systemDefault();
        return new Submissions(outbox, deliverer, registries.all().stream().map(RegistryClient::config).toList(),
                new DoseChecks(codes, cdsi.data(), zone), properties, Clock.systemUTC(), zone);
    }

    @Bean
    DeliveryPoller deliveryPoller(Deliverer deliverer, Outbox outbox, SubmissionProperties properties, MeterRegistry meters) {
        return new DeliveryPoller(deliverer, outbox, properties, meters);
    }

    /** {@code submissions} in the health: WARN when the oldest pending delivery is older than {@code warn-age}. */
    @Bean
    HealthIndicator submissionsHealthIndicator(DeliveryPoller poller, SubmissionProperties properties) {
        return () -> {
            Outbox.Backlog backlog = poller.backlog();
            if (backlog == null) {
                return Health.unknown().build();
            }
            Duration age = backlog.oldestAge(Instant.now());
            return Health.status(age.compareTo(properties.warnAge()) > 0 ? new Status("WARN") : Status.UP)
                    .withDetail("pending", backlog.pending())
                    .withDetail("oldestPendingSeconds", age.toSeconds()).build();
        };
    }

    /**
     * Every {@code poll-interval}, delivers what is due, batch after batch, and reads the backlog
     * for the metrics and the health. Stops taking work on shutdown; what was taken and not
     * recorded is taken again by any instance when its lease ends.
     */
    static final class DeliveryPoller implements SmartLifecycle {

        private final Deliverer deliverer;
        private final Outbox outbox;
        private final SubmissionProperties properties;
        private final AtomicReference<Outbox.Backlog> backlog = new AtomicReference<>();
        private ScheduledExecutorService scheduler;
        private volatile boolean running;

        DeliveryPoller(Deliverer deliverer, Outbox outbox, SubmissionProperties properties, MeterRegistry meters) {
            this.deliverer = deliverer;
            this.outbox = outbox;
            this.properties = properties;
            Gauge.builder("izfhir.submissions.pending", backlog, b -> b.get() == null ? 0 : b.get().pending())
                    .description("deliveries queued").register(meters);
            Gauge.builder("izfhir.submissions.oldest.pending.seconds", backlog, b -> b.get() == null ? 0
                            : b.get().oldestAge(Instant.now()).toSeconds())
                    .description("age of the oldest delivery queued").register(meters);
        }

        Outbox.Backlog backlog() {
            return backlog.get();
        }

        @Override
        public void start() {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "izfhir-delivery-poller");
                thread.setDaemon(true);
                return thread;
            });
            running = true;
            scheduler.scheduleWithFixedDelay(this::poll, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }

        void poll() {
            try {
                boolean more = true;
                while (running && more) {
                    more = deliverer.deliverDue() >= properties.batchSize(); // a full batch: there may be more
                    backlog.set(outbox.backlog());
                }
            } catch (RuntimeException e) {
                log.warn("delivering the queued submissions failed ({}); next try in {}", e.getClass().getSimpleName(),
                        properties.pollInterval());
            }
        }

        @Override
        public void stop() {
            running = false;
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
