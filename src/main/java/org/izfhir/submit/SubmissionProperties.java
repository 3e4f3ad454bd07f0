package org.izfhir.submit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dose submissions ({@code izfhir.submissions}).
 *
 * @param answerWait       how long a submitting request waits for the registries' first answers;
 *                         a delivery still running then is reported as queued, and goes on
 * @param firstRetry       the wait before the second attempt of a delivery that failed in transit;
 *                         each further wait doubles, up to {@code maxRetryInterval}
 * @param maxRetryInterval the longest wait between attempts
 * @param maxAge           a delivery still failing in transit this long after its dose was accepted
 *                         stops being retried and is reported as undeliverable
 * @param pollInterval     how often each instance looks for deliveries due (its own and others')
 * @param lease            how long a delivery taken by an instance is left to it; one whose instance
 *                         died is taken again after this
 * @param batchSize        deliveries one instance takes at a time
 * @param warnAge          the health indicator warns when the oldest pending delivery is older
 * @param maxEntries       the most entries a submitted transaction may hold
 */
@ConfigurationProperties("izfhir.submissions")
public record SubmissionProperties(
        @DefaultValue("8s") Duration answerWait,
        @DefaultValue("30s") Duration firstRetry,
        @DefaultValue("30m") Duration maxRetryInterval,
        @DefaultValue("7d") Duration maxAge,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("50") int batchSize,
        @DefaultValue("1h") Duration warnAge,
        @DefaultValue("100") int maxEntries) {

    public SubmissionProperties {
        if (answerWait.isNegative() || !positive(firstRetry) || maxRetryInterval.compareTo(firstRetry) < 0
                || !positive(maxAge) || !positive(pollInterval) || !positive(lease) || batchSize < 1
                || !positive(warnAge) || maxEntries < 1) {
            throw new IllegalArgumentException("izfhir.submissions: need positive durations and sizes, and"
                    + " max-retry-interval >= first-retry; got first-retry " + firstRetry + ", max-retry-interval "
                    + maxRetryInterval + ", max-age " + maxAge + ", poll-interval " + pollInterval + ", lease " + lease
                    + ", batch-size " + batchSize + ", warn-age " + warnAge + ", max-entries " + maxEntries);
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
