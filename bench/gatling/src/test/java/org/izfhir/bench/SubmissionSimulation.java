package org.izfhir.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Dose submissions under load, against a server whose three demo registries answer after a fixed
 * latency (bench/submissions.sh starts it). Phases, one after the other, 16 clients each:
 * <ol>
 *   <li>cached: the consolidated search of a fresh record, the baseline;</li>
 *   <li>submit: a transaction of a new person (living in NY) and one dose given in NJ, or in PA for
 *       every third: the person matched (three registries asked), the dose checked, written to the
 *       outbox, sent to two registries and their ACKs read before the answer;</li>
 *   <li>backlog ({@code -Dphases=backlog} alone, while NJ is down): {@code -Ddoses=} (10,000)
 *       submissions of a person living in NJ, each leaving one queued delivery.</li>
 * </ol>
 */
public class SubmissionSimulation extends Simulation {

    private static final int CLIENTS = Integer.getInteger("clients", 16);
    private static final Duration PHASE = Duration.ofSeconds(Integer.getInteger("seconds", 30));
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("warmUpSeconds", 15));
    private static final int DOSES = Integer.getInteger("doses", 10_000);
    private static final AtomicLong PEOPLE = new AtomicLong(System.currentTimeMillis() % 100_000 * 1000);

    private final HttpProtocolBuilder protocol = http.baseUrl(BenchClient.BASE).acceptHeader("application/fhir+json")
            .contentTypeHeader("application/fhir+json")
            .authorizationHeader("Bearer " + BenchClient.token("system/*.rs system/Immunization.cud")).shareConnections();

    /** A family name no one else has, in letters only (registries match names on letters). */
    private static String family() {
        long n = PEOPLE.incrementAndGet();
        StringBuilder name = new StringBuilder("Bench");
        do {
            name.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return name.toString();
    }

    private static Iterator<Map<String, Object>> submissions(String home) {
        AtomicLong n = new AtomicLong();
        return Stream.generate(() -> {
            long k = n.incrementAndGet();
            return Map.<String, Object>of("family", family(), "home", home,
                    "given", home.equals("NJ") || k % 3 != 0 ? "NJ" : "PA",
                    "born", java.time.LocalDate.of(2014, 1, 1).plusDays(k * 7919 % 3650).toString());
        }).iterator();
    }

    private static final String TRANSACTION = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:6a1f0000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient",
              "name":[{"family":"#{family}","given":["Robin"]}],"birthDate":"#{born}","gender":"female",
              "address":[{"use":"home","state":"#{home}"}]},"request":{"method":"POST","url":"Patient"}},
             {"fullUrl":"urn:uuid:6a1f0000-0000-4000-8000-000000000002","resource":{"resourceType":"Location",
              "name":"Clinic","address":{"state":"#{given}"}},"request":{"method":"POST","url":"Location"}},
             {"resource":{"resourceType":"Immunization","status":"completed","primarySource":true,
              "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"08"}]},
              "patient":{"reference":"urn:uuid:6a1f0000-0000-4000-8000-000000000001"},
              "location":{"reference":"urn:uuid:6a1f0000-0000-4000-8000-000000000002"},
              "occurrenceDateTime":"2025-06-01","lotNumber":"B1","expirationDate":"2027-01-01",
              "manufacturer":{"identifier":{"system":"http://hl7.org/fhir/sid/mvx","value":"MSD"}}},
              "request":{"method":"POST","url":"Immunization"}}]}""";

    private static ChainBuilder submit(String name) {
        return exec(http(name).post("").body(StringBody(TRANSACTION)).check(status().is(200))
                .check(jsonPath("$.entry[2].response.status").is("201 Created")));
    }

    private static ChainBuilder cached(String name) {
        return exec(http(name).get("/Immunization?#{query}&_count=50").check(status().is(200)));
    }

    private PopulationBuilder phase(String name, Iterator<Map<String, Object>> feeder, ChainBuilder chain, Duration length) {
        return scenario(name).during(length).on(feed(feeder).exec(chain))
                .injectClosed(constantConcurrentUsers(CLIENTS).during(length));
    }

    {
        List<String> phases = List.of(System.getProperty("phases", "cached,submit").split(","));
        List<PopulationBuilder> chain = new java.util.ArrayList<>();
        if (phases.contains("cached")) {
            chain.add(phase("warm-up cached", BenchClient.people(), cached("warm-up cached"), WARM_UP));
            chain.add(phase("cached", BenchClient.people(), cached("cached consolidated search"), PHASE));
        }
        if (phases.contains("submit")) {
            chain.add(phase("warm-up submit", submissions("NY"), submit("warm-up submit"), WARM_UP));
            chain.add(phase("submit", submissions("NY"), submit("submit a person and a dose"), PHASE));
        }
        if (phases.contains("backlog")) {
            chain.add(scenario("backlog").repeat(DOSES / CLIENTS).on(feed(submissions("NJ")).exec(submit("queue a dose")))
                    .injectClosed(constantConcurrentUsers(CLIENTS).during(Duration.ofSeconds(1))));
        }
        PopulationBuilder run = chain.get(chain.size() - 1);
        for (int i = chain.size() - 2; i >= 0; i--) {
            run = chain.get(i).andThen(run);
        }
        setUp(run).protocols(protocol).assertions(global().failedRequests().percent().lt(1.0));
    }
}
