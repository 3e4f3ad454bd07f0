package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoFault;
import org.izfhir.demo.DemoProperties.Knobs;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.query.QueryBuilder;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.registry.RegistryClient.Purpose;
import org.izfhir.registry.RegistryFailure.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The contract every transport passes, over real HTTP against the demo registries: NJ speaks
 * CDC 2011, NY CDC 2014, PA the IZ Gateway hub. Each answer kind and each failure kind comes
 * back the same way whatever the transport. The clients here have their own circuit breakers,
 * so the failures provoked do not touch the server's own clients.
 */
@IzFhirServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTransportContractIT {

    private static final AtomicLong IDS = new AtomicLong();

    @Autowired
    private Registries registries;
    @Autowired
    private DemoRegistries demo;
    @Autowired
    private EndpointResolver endpoints;

    private RegistryClientFactory factory;

    @BeforeAll
    void ownFactory() {
        factory = new RegistryClientFactory(RegistryProperties.defaults(), new SimpleMeterRegistry(), endpoints);
    }

    @AfterAll
    void closeFactory() {
        factory.close();
    }

    @AfterEach
    void resetKnobs() {
        demo.reset();
    }

    // ------------------------------------------------------------------ answers

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aKnownPersonComesBackWithTheirHistory(String registry) {
        RegistryResponse response = answered(registry, query(registry, "Johnson", "Marcus", "1980-07-02", null, 10));

        RegistryResponse.Kind expected = client(registry).config().queryProfile().name().equals("Z44")
                ? RegistryResponse.Kind.HISTORY_AND_FORECAST : RegistryResponse.Kind.HISTORY;
        assertThat(response.kind()).isEqualTo(expected);
        assertThat(response.patient().getNameFirstRep().getFamily()).isEqualTo("Johnson");
        assertThat(response.immunizations()).hasSize(switch (registry) {
            case "NJ", "NY" -> 2;
            default -> 3;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void nobodyIsNotFound(String registry) {
        assertThat(answered(registry, query(registry, "Nobody", "Here", "2001-01-01", null, 10)).kind())
                .isEqualTo(RegistryResponse.Kind.NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void twoPeopleWithOneNameAndBirthDateAreCandidatesAndTooManyPastTheLimit(String registry) {
        String[] pair = sameNamePair(registry);
        RegistryResponse candidates = answered(registry, query(registry, pair[0], pair[1], pair[2], null, 10));
        assertThat(candidates.kind()).isEqualTo(RegistryResponse.Kind.CANDIDATES);
        assertThat(candidates.candidates()).hasSize(2);

        assertThat(answered(registry, query(registry, pair[0], pair[1], pair[2], null, 1)).kind())
                .isEqualTo(RegistryResponse.Kind.TOO_MANY);
        RegistryResponse one = answered(registry, query(registry, pair[0], pair[1], pair[2], pair[3], 10));
        assertThat(one.kind()).isIn(RegistryResponse.Kind.HISTORY, RegistryResponse.Kind.HISTORY_AND_FORECAST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aProtectedRecordIsNotDisclosed(String registry) {
        String[] person = switch (registry) {
            case "NJ" -> new String[] {"Walsh", "Grace", "2005-12-01"};
            case "NY" -> new String[] {"O'Connor", "Liam", "2018-04-04"};
            default -> new String[] {"Adams", "Henry", "1999-03-03"};
        };
        RegistryResponse response = answered(registry, query(registry, person[0], person[1], person[2], null, 10));
        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.PROTECTED);
        assertThat(response.immunizations()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aQueryWithoutBirthDateIsRejectedWithTheRegistrysReason(String registry) {
        String qbp = query(registry, "Johnson", "Marcus", "1980-07-02", null, 10).replace("|19800702", "|");
        RegistryResponse response = answered(registry, qbp);
        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        assertThat(response.errors()).anySatisfy(error -> assertThat(error.describe()).contains("Date of Birth is missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aVaccinationUpdateIsAcceptedAndThenFound(String registry) {
        String family = "Update" + registry + IDS.incrementAndGet();
        String vxu = Hl7TestMessages.ig("vxu-three-doses").replace("Patient^Johnny^New", family + "^Johnny^New")
                .replace("432155^^^dcs^MR", family + "^^^dcs^MR");
        RegistryResponse ack = answered(registry, vxu, Purpose.SUBMISSION);
        assertThat(ack.kind()).isEqualTo(RegistryResponse.Kind.ACCEPTED);

        RegistryResponse found = answered(registry, query(registry, family, "Johnny", "2011-04-11", null, 10));
        assertThat(found.immunizations()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void anUpdateWithoutAPatientNameAndOtherMessageTypesAreRejected(String registry) {
        String nameless = Hl7TestMessages.ig("vxu-three-doses").replace("Patient^Johnny^New^^^^L", "");
        assertThat(answered(registry, nameless, Purpose.SUBMISSION).kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        String adt = Hl7TestMessages.resource("/hl7/sandbox/adt.hl7").replace("\r\n", "\r").replace('\n', '\r');
        RegistryResponse response = answered(registry, adt, Purpose.SUBMISSION);
        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        assertThat(response.errors()).anySatisfy(error -> {
            assertThat(error.code()).isEqualTo("200"); // unsupported message type
            assertThat(error.text()).contains("not ADT");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void theConnectivityTestEchoes(String registry) {
        RegistryResult result = fresh(registry).connectivityTest("hello " + registry, soon()).join();
        assertThat(result).isInstanceOf(RegistryResult.Answered.class);
        assertThat(((RegistryResult.Answered) result).message()).isEqualTo("hello " + registry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void anAnswerThatIsNotHl7OrRejectsIsStillAnAnswerForTheCodecToJudge(String registry) {
        demo.set(registry, Knobs.fault(DemoFault.MALFORMED_HL7));
        assertThat(answered(registry, marcus(registry)).kind()).isEqualTo(RegistryResponse.Kind.UNREADABLE);

        demo.set(registry, Knobs.fault(DemoFault.REJECT));
        RegistryResponse rejected = answered(registry, marcus(registry));
        assertThat(rejected.kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        assertThat(rejected.errors()).anySatisfy(error -> assertThat(error.describe()).contains("rejects messages"));
    }

    // ------------------------------------------------------------------ failures

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void everyDeclaredFaultIsClassified(String registry) {
        assertFault(registry, DemoFault.UNKNOWN_FAULT, Kind.UNKNOWN_FAULT, true);
        assertFault(registry, DemoFault.SECURITY_FAULT, Kind.SECURITY_FAULT, false);
        assertFault(registry, DemoFault.MESSAGE_TOO_LARGE_FAULT, Kind.MESSAGE_TOO_LARGE_FAULT, false);
        assertFault(registry, DemoFault.UNSUPPORTED_OPERATION_FAULT, Kind.UNSUPPORTED_OPERATION_FAULT, false);
        if (registry.equals("PA")) { // the hub's own faults
            assertFault(registry, DemoFault.DESTINATION_CONNECTION_FAULT, Kind.DESTINATION_CONNECTION_FAULT, true);
            assertFault(registry, DemoFault.UNKNOWN_DESTINATION_FAULT, Kind.UNKNOWN_DESTINATION_FAULT, false);
            assertFault(registry, DemoFault.HUB_CLIENT_FAULT, Kind.HUB_CLIENT_FAULT, false);
        }
    }

    private void assertFault(String registry, DemoFault fault, Kind kind, boolean retryable) {
        demo.set(registry, Knobs.fault(fault));
        RegistryFailure failure = failed(registry, marcus(registry), Purpose.SUBMISSION);
        assertThat(failure.kind()).as(fault.name()).isEqualTo(kind);
        assertThat(failure.retryable()).as(fault.name()).isEqualTo(retryable);
        assertThat(failure.getMessage()).contains("fault knob: " + fault);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void wrongCredentialsAreASecurityFault(String registry) {
        RegistryConfig config = client(registry).config();
        RegistryClient wrong = factory.create(copy(config, config.endpoint(), "wrong-password"));
        RegistryResult result = wrong.send(marcus(registry), Purpose.QUERY, soon()).join();
        RegistryFailure failure = ((RegistryResult.Failed) result).failure();
        assertThat(failure.kind()).isEqualTo(Kind.SECURITY_FAULT);
        assertThat(failure.getMessage()).contains("Username/password combination is unrecognized");
        assertThat(result.attempts()).isEqualTo(1); // a retry cannot help
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void httpErrorsPagesAndHugeAnswersAreClassified(String registry) {
        demo.set(registry, Knobs.fault(DemoFault.HTTP_ERROR));
        RegistryFailure httpError = failed(registry, marcus(registry), Purpose.SUBMISSION);
        assertThat(httpError.kind()).isEqualTo(Kind.HTTP_ERROR);
        assertThat(httpError.retryable()).isTrue();
        assertThat(httpError.detail()).startsWith("HTTP 503");

        demo.set(registry, Knobs.fault(DemoFault.NOT_SOAP));
        RegistryFailure notSoap = failed(registry, marcus(registry), Purpose.SUBMISSION);
        assertThat(notSoap.kind()).isEqualTo(Kind.NOT_SOAP);
        assertThat(notSoap.detail()).contains("not a SOAP envelope").contains("HTTP 200");

        demo.set(registry, Knobs.fault(DemoFault.OVERSIZE));
        RegistryFailure huge = failed(registry, marcus(registry), Purpose.QUERY);
        assertThat(huge.kind()).isEqualTo(Kind.ANSWER_TOO_LARGE);
        assertThat(huge.retryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aRegistryThatNeverAnswersCostsNoMoreThanTheDeadline(String registry) {
        demo.set(registry, Knobs.fault(DemoFault.NO_ANSWER));
        long start = System.nanoTime();
        RegistryResult result = fresh(registry).send(marcus(registry), Purpose.QUERY, Instant.now().plusMillis(800)).join();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        RegistryFailure failure = ((RegistryResult.Failed) result).failure();
        assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failure.retryable()).isFalse(); // the caller's deadline, not the registry's read timeout
        assertThat(took).isLessThan(Duration.ofMillis(2000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void aSlowRegistryAnswersWithinItsLatencyAndTimesOutPastTheDeadline(String registry) {
        demo.set(registry, Knobs.latency(Duration.ofMillis(300)));
        RegistryResult slow = fresh(registry).send(marcus(registry), Purpose.QUERY, soon()).join();
        assertThat(slow).isInstanceOf(RegistryResult.Answered.class);
        assertThat(slow.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        RegistryResult late = fresh(registry).send(marcus(registry), Purpose.QUERY, Instant.now().plusMillis(100)).join();
        assertThat(((RegistryResult.Failed) late).failure().kind()).isEqualTo(Kind.TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void queriesAreRetriedAfterATransientFailureAndSubmissionsAreNot(String registry) {
        demo.set(registry, Knobs.faultFor(DemoFault.HTTP_ERROR, 1));
        long before = demo.calls(registry);
        RegistryResult query = fresh(registry).send(marcus(registry), Purpose.QUERY, soon()).join();
        assertThat(query).isInstanceOf(RegistryResult.Answered.class);
        assertThat(query.attempts()).isEqualTo(2);
        assertThat(demo.calls(registry) - before).isEqualTo(2);

        demo.set(registry, Knobs.faultFor(DemoFault.HTTP_ERROR, 1));
        before = demo.calls(registry);
        RegistryResult submission = fresh(registry).send(marcus(registry), Purpose.SUBMISSION, soon()).join();
        assertThat(((RegistryResult.Failed) submission).failure().kind()).isEqualTo(Kind.HTTP_ERROR);
        assertThat(submission.attempts()).isEqualTo(1);
        assertThat(demo.calls(registry) - before).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void theCircuitOpensAfterRepeatedFailuresAndStopsCallingTheRegistry(String registry) {
        RegistryClient client = fresh(registry);
        demo.set(registry, Knobs.fault(DemoFault.UNKNOWN_FAULT));
        for (int i = 0; i < 10; i++) {
            client.send(marcus(registry), Purpose.SUBMISSION, soon()).join();
        }
        long before = demo.calls(registry);
        RegistryResult refused = client.send(marcus(registry), Purpose.QUERY, soon()).join();

        RegistryFailure failure = ((RegistryResult.Failed) refused).failure();
        assertThat(failure.kind()).isEqualTo(Kind.CIRCUIT_OPEN);
        assertThat(refused.attempts()).isZero();
        assertThat(demo.calls(registry)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NJ", "NY", "PA"})
    void networkFailuresAreClassified(String registry) {
        RegistryConfig config = client(registry).config();
        RegistryResult refused = factory.create(copy(config, "http://127.0.0.1:1/soap", null))
                .send(marcus(registry), Purpose.QUERY, soon()).join();
        assertThat(((RegistryResult.Failed) refused).failure().kind()).isEqualTo(Kind.CONNECTION_REFUSED);
        assertThat(refused.attempts()).isEqualTo(3); // a refused connection may be a restart: retried

        RegistryResult unknownHost = factory.create(copy(config, "http://registry.invalid/soap", null))
                .send(marcus(registry), Purpose.QUERY, soon()).join();
        assertThat(((RegistryResult.Failed) unknownHost).failure().kind()).isEqualTo(Kind.UNKNOWN_HOST);

        String plainHttpSpokenToAsTls = endpoints.resolve(URI.create(config.endpoint())).get().toString()
                .replace("http://", "https://");
        RegistryResult tls = factory.create(copy(config, plainHttpSpokenToAsTls, null))
                .send(marcus(registry), Purpose.QUERY, soon()).join();
        assertThat(((RegistryResult.Failed) tls).failure().kind()).isEqualTo(Kind.TLS);
    }

    @Test
    void theHubRefusesADestinationItDoesNotKnow() {
        RegistryConfig pa = client("PA").config();
        RegistryConfig unknown = new RegistryConfig("XX" + IDS.incrementAndGet(), "nowhere", pa.endpoint(), pa.transport(),
                "XX", pa.facilityId(), pa.username(), pa.password(), pa.queryProfile(), pa.header(), Set.of(), true,
                pa.connectTimeout(), pa.readTimeout(), null);
        RegistryFailure failure = ((RegistryResult.Failed) factory.create(unknown)
                .send(marcus("PA"), Purpose.QUERY, soon()).join()).failure();
        assertThat(failure.kind()).isEqualTo(Kind.UNKNOWN_DESTINATION_FAULT);
        assertThat(failure.detail()).contains("destination XX");
    }

    // ------------------------------------------------------------------ helpers

    private static String[] sameNamePair(String registry) {
        return switch (registry) { // family, given, birth date, one mother's maiden name
            case "NJ" -> new String[] {"Kim", "Daniel", "2012-06-18", "Park"};
            case "NY" -> new String[] {"Davis", "Emma", "2019-09-09", "Miller"};
            default -> new String[] {"Brooks", "Ethan", "2016-02-11", "Ward"};
        };
    }

    /** A client of this test's own factory, under a fresh id: its own circuit breaker. */
    private RegistryClient fresh(String registry) {
        RegistryConfig config = client(registry).config();
        return factory.create(copy(config, config.endpoint(), null));
    }

    private RegistryClient client(String registry) {
        return registries.get(registry).orElseThrow();
    }

    private String marcus(String registry) {
        return query(registry, "Johnson", "Marcus", "1980-07-02", null, 10);
    }

    private String query(String registry, String family, String given, String birthDate, String mother, int max) {
        RegistryConfig config = client(registry).config();
        PersonQuery person = new PersonQuery(List.of(), family, given, "", "", mother, "", LocalDate.parse(birthDate),
                null, null, "", null, null);
        long id = IDS.incrementAndGet();
        return new QueryBuilder().build(config.queryProfile(), person, config.header(), "C" + id, "T" + id,
                ZonedDateTime.now(), max);
    }

    private RegistryResponse answered(String registry, String message) {
        return answered(registry, message, Purpose.QUERY);
    }

    private RegistryResponse answered(String registry, String message, Purpose purpose) {
        RegistryResult result = fresh(registry).send(message, purpose, soon()).join();
        assertThat(result).as(() -> result.toString()).isInstanceOf(RegistryResult.Answered.class);
        return new ResponseReader().read(((RegistryResult.Answered) result).message(), registry);
    }

    private RegistryFailure failed(String registry, String message, Purpose purpose) {
        RegistryResult result = fresh(registry).send(message, purpose, soon()).join();
        assertThat(result).as(() -> result.toString()).isInstanceOf(RegistryResult.Failed.class);
        return ((RegistryResult.Failed) result).failure();
    }

    /** The same registry under a fresh id (its own circuit breaker), at another endpoint or with another password. */
    private static RegistryConfig copy(RegistryConfig c, String endpoint, String password) {
        return new RegistryConfig(c.id() + "-" + IDS.incrementAndGet(), c.name(), endpoint, c.transport(), c.destinationId(),
                c.facilityId(), c.username(), password == null ? c.password() : password, c.queryProfile(), c.header(),
                c.states(), c.submissions(), c.connectTimeout(), c.readTimeout(), null);
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(5);
    }
}
