package org.izfhir.record;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The consolidated record ({@code izfhir.record}).
 *
 * @param maxAge        a stored record younger than this answers without asking the registries again
 * @param deadline      the whole consultation of the registries, answer included, ends within this
 * @param retention     stored records older than this are deleted; the registries stay the source of truth
 * @param purgeInterval how often the retention purge runs
 * @param cacheSize     records kept in memory by this instance (PostgreSQL holds them all)
 */
@ConfigurationProperties("izfhir.record")
public record RecordProperties(
        @DefaultValue("5m") Duration maxAge,
        @DefaultValue("10s") Duration deadline,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("10m") Duration purgeInterval,
        @DefaultValue("10000") int cacheSize) {

    /** Time kept from the deadline for the server's own work after the registries' answers. */
    private static final Duration OWN_WORK = Duration.ofMillis(300);

    public RecordProperties {
        if (maxAge.isNegative() || deadline.isNegative() || deadline.isZero() || retention.compareTo(maxAge) < 0
                || purgeInterval.isNegative() || purgeInterval.isZero() || cacheSize < 1) {
            throw new IllegalArgumentException("izfhir.record: need a positive deadline, purge-interval and cache-size,"
                    + " and retention >= max-age; got max-age " + maxAge + ", deadline " + deadline + ", retention "
                    + retention + ", purge-interval " + purgeInterval + ", cache-size " + cacheSize);
        }
    }

    /** Whether a record the registries were asked for at {@code refreshedAt} may answer at {@code now}. */
    public boolean fresh(Instant refreshedAt, Instant now) {
        return refreshedAt.plus(maxAge).isAfter(now);
    }

    /**
     * When the registries' answers must be in, for a consultation started at {@code started}: the
     * deadline less 300 ms for the server's own work, unless that would leave them less than it.
     */
    public Instant registriesDeadline(Instant started) {
        return started.plus(deadline.compareTo(OWN_WORK.multipliedBy(2)) > 0 ? deadline.minus(OWN_WORK) : deadline);
    }
}
