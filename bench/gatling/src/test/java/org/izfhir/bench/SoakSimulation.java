package org.izfhir.bench;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * An hour of mixed load (bench/soak.sh starts the server and makes its registries misbehave): 50
 * clients, each bound to a demo person, each request one of a stored-record search (60%), a
 * consolidated search while the record is fresh (30%) or one that asks every registry again (10%).
 * A registry that times out, one that rejects and one that flaps cost the answer's outcome, never
 * the request: every answer must be a 200.
 */
public class SoakSimulation extends Simulation {

    private static final int CLIENTS = Integer.getInteger("clients", 50);
    private static final Duration LENGTH = Duration.ofMinutes(Integer.getInteger("minutes", 60));

    private final HttpProtocolBuilder protocol = http.baseUrl(BenchClient.BASE).acceptHeader("application/fhir+json")
            .authorizationHeader("Bearer " + BenchClient.token("system/*.rs")).shareConnections();

    {
        var mixed = randomSwitch().on(
                percent(60).then(exec(http("stored-record search").get("/Immunization?patient=Patient/#{id}&_count=50")
                        .check(status().is(200)))),
                percent(30).then(exec(http("cached consolidated search").get("/Immunization?#{query}&_count=50")
                        .check(status().is(200)))),
                percent(10).then(exec(http("uncached consolidated search").get("/Immunization?#{query}&_count=50")
                        .header("Cache-Control", "no-cache").check(status().is(200)))));
        var clients = scenario("soak").exec(feed(BenchClient.people()))
                .exec(http("find").get("/Patient?#{person}")
                        .check(jsonPath("$.entry[?(@.search.mode=='match')].resource.id").optional().saveAs("id")))
                .exec(session -> session.contains("id") ? session : session.set("id", "none"))
                .during(LENGTH).on(mixed)
                .injectClosed(constantConcurrentUsers(CLIENTS).during(LENGTH));
        setUp(clients).protocols(protocol).assertions(global().failedRequests().count().is(0L));
    }
}
