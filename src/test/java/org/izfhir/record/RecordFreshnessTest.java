package org.izfhir.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.izfhir.registry.RegistryFailure;
import org.junit.jupiter.api.Test;

/**
 * When a stored record answers without asking the registries, how long the registries are given,
 * and what is kept of a registry's earlier answer when it fails: the rules {@link RecordService}
 * applies, each on its own.
 */
class RecordFreshnessTest {

    private static final Instant ASKED = Instant.parse("2026-12-03T12:00:00Z");

    private static RecordProperties properties(String maxAge, String deadline) {
        return new RecordProperties(Duration.parse(maxAge), Duration.parse(deadline), Duration.ofHours(24),
                Duration.ofMinutes(10), 100);
    }

    @Test
    void aRecordIsFreshUntilItsMaxAgeAndNotAtIt() {
        RecordProperties fiveMinutes = properties("PT5M", "PT10S");
        assertThat(fiveMinutes.fresh(ASKED, ASKED)).isTrue();
        assertThat(fiveMinutes.fresh(ASKED, ASKED.plusSeconds(299))).isTrue();
        assertThat(fiveMinutes.fresh(ASKED, ASKED.plusSeconds(300))).as("at max-age").isFalse();
        assertThat(fiveMinutes.fresh(ASKED, ASKED.plusSeconds(301))).isFalse();
    }

    @Test
    void aMaxAgeOfZeroAsksTheRegistriesEveryTime() {
        assertThat(properties("PT0S", "PT10S").fresh(ASKED, ASKED)).isFalse();
    }

    @Test
    void aRecordAskedForInTheFutureOfThisClockIsFresh() {
        // another instance's clock a second ahead: its record is not thrown away
        assertThat(properties("PT5M", "PT10S").fresh(ASKED.plusSeconds(1), ASKED)).isTrue();
    }

    @Test
    void theRegistriesGetTheDeadlineLessTheServersOwnWork() {
        assertThat(properties("PT5M", "PT10S").registriesDeadline(ASKED)).isEqualTo(ASKED.plusMillis(9_700));
        assertThat(properties("PT5M", "PT0.601S").registriesDeadline(ASKED)).isEqualTo(ASKED.plusMillis(301));
    }

    @Test
    void aDeadlineTooShortToShareIsTheRegistriesWhole() {
        assertThat(properties("PT5M", "PT0.6S").registriesDeadline(ASKED)).isEqualTo(ASKED.plusMillis(600));
        assertThat(properties("PT5M", "PT0.1S").registriesDeadline(ASKED)).isEqualTo(ASKED.plusMillis(100));
    }

    private static RegistryAnswer answered(String registry, Instant at) {
        return new RegistryAnswer(registry, registry + " IIS", RegistryStatus.ANSWERED, null, "MSH|" + registry, null,
                at);
    }

    private static RegistryAnswer failed(String registry, RegistryFailure.Kind kind, Instant at) {
        RegistryFailure failure = new RegistryFailure(registry, kind, true, "detail");
        return new RegistryAnswer(registry, registry + " IIS", RegistryStatus.of(failure), null, "", failure, at);
    }

    @Test
    void aRegistryThatFailsKeepsItsEarlierAnswerMarkedAsKept() {
        Instant later = ASKED.plusSeconds(600);
        RegistryAnswer earlier = answered("NY", ASKED);
        RegistryAnswer timedOut = failed("NY", RegistryFailure.Kind.TIMEOUT, later);

        RegistryAnswer kept = RegistryAnswer.keepEarlier(List.of(timedOut), List.of(earlier)).get(0);

        assertThat(kept.reused()).isTrue();
        assertThat(kept.message()).isEqualTo("MSH|NY");
        assertThat(kept.status()).isEqualTo(RegistryStatus.ANSWERED);
        assertThat(kept.at()).as("when the kept answer was given").isEqualTo(ASKED);
        assertThat(kept.failure()).isSameAs(timedOut.failure());
    }

    @Test
    void aRegistryThatAnswersReplacesItsEarlierAnswer() {
        RegistryAnswer now = answered("NY", ASKED.plusSeconds(600));
        assertThat(RegistryAnswer.keepEarlier(List.of(now), List.of(answered("NY", ASKED)))).containsExactly(now);
    }

    @Test
    void aRegistryThatFailsWithNothingEarlierKeepsItsFailure() {
        RegistryAnswer refused = failed("NJ", RegistryFailure.Kind.CONNECTION_REFUSED, ASKED);
        List<RegistryAnswer> kept = RegistryAnswer.keepEarlier(List.of(refused), List.of(answered("NY", ASKED)));
        assertThat(kept).containsExactly(refused);
        assertThat(kept.get(0).status()).isEqualTo(RegistryStatus.UNAVAILABLE);
    }

    @Test
    void eachRegistryIsKeptOnItsOwnAndInTheConsultationsOrder() {
        Instant later = ASKED.plusSeconds(600);
        List<RegistryAnswer> now = List.of(failed("NY", RegistryFailure.Kind.TIMEOUT, later), answered("NJ", later),
                failed("PA", RegistryFailure.Kind.CIRCUIT_OPEN, later));
        List<RegistryAnswer> earlier = List.of(answered("PA", ASKED), answered("NJ", ASKED));

        List<RegistryAnswer> kept = RegistryAnswer.keepEarlier(now, earlier);

        assertThat(kept).extracting(RegistryAnswer::registryId).containsExactly("NY", "NJ", "PA");
        assertThat(kept).extracting(RegistryAnswer::reused).containsExactly(false, false, true);
        assertThat(kept.get(1)).isSameAs(now.get(1));
        assertThat(kept.get(2).at()).isEqualTo(ASKED);
    }
}
