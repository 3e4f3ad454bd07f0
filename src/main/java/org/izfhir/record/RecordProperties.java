package org.izfhir.record;

import java.time.Duration;
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

    public RecordProperties {
        if (maxAge.isNegative() || deadline.isNegative() || deadline.isZero() || retention.compareTo(maxAge) < 0
                || purgeInterval.isNegative() || purgeInterval.isZero() || cacheSize < 1) {
            throw new IllegalArgumentException("izfhir.record: need a positive deadline, purge-interval and cache-size,"
                    + " and retention >= max-age; got max-age " + maxAge + ", deadline " + deadline + ", retention "
                    + retention + ", purge-interval " + purgeInterval + ", cache-size " + cacheSize);
        }
    }
}
