package org.izfhir.bench;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
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
import java.util.List;

/**
 * The consolidated record under load, against a server whose demo registries each answer after a
 * fixed latency (bench/gatling.sh starts it). Four phases, one after the other, the first three
 * with the same number of concurrent clients, each client bound to its own demo person:
 * <ol>
 *   <li>stored: {@code Immunization?patient=Patient/{id}}, the plain search of a stored record (the baseline);</li>
 *   <li>cached: {@code Immunization?patient.family=&patient.given=&patient.birthdate=} while the record is fresh;</li>
 *   <li>uncached: the same with {@code Cache-Control: no-cache}: every request asks the three registries;</li>
 *   <li>alone: the uncached search by one client, one request after the other: its latency without queueing.</li>
 * </ol>
 * A warm-up of each kind comes first and is reported under its own name. {@code -Dphases=} picks some.
 */
public class ConsolidatedSearchSimulation extends Simulation {

    private static final String BASE = BenchClient.BASE;
    private static final int CLIENTS = Integer.getInteger("clients", 16);
    private static final Duration PHASE = Duration.ofSeconds(Integer.getInteger("seconds", 30));
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("warmUpSeconds", 15));

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE).acceptHeader("application/fhir+json")
            .authorizationHeader("Bearer " + BenchClient.token("system/*.rs")).shareConnections();

    private static ChainBuilder consolidated(String name, boolean noCache) {
        var request = http(name).get("/Immunization?#{query}&_count=50");
        return exec(noCache ? request.header("Cache-Control", "no-cache").check(status().is(200))
                : request.check(status().is(200)));
    }

    private PopulationBuilder phase(String name, ChainBuilder chain, Duration length) {
        return phase(name, chain, length, CLIENTS);
    }

    private PopulationBuilder phase(String name, ChainBuilder chain, Duration length, int clients) {
        return scenario(name).exec(feed(BenchClient.people()))
                .exec(http("find " + name).get("/Patient?#{person}")
                        .check(jsonPath("$.entry[?(@.search.mode=='match')].resource.id").optional().saveAs("id")))
                .during(length).on(chain)
                .injectClosed(constantConcurrentUsers(clients).during(length));
    }

    private static ChainBuilder stored(String name) {
        return exec(session -> session.contains("id") ? session : session.set("id", "none"))
                .exec(http(name).get("/Immunization?patient=Patient/#{id}&_count=50").check(status().is(200)));
    }

    {
        // -Dphases=uncached (comma-separated: stored, cached, uncached, alone) runs only those, each after its warm-up
        List<String> phases = List.of(System.getProperty("phases", "stored,cached,uncached,alone").split(","));
        List<PopulationBuilder> chain = new java.util.ArrayList<>();
        if (phases.contains("uncached") || phases.contains("alone")) {
            chain.add(phase("warm-up uncached", consolidated("warm-up uncached", true), WARM_UP));
        }
        if (phases.contains("cached") || phases.contains("stored")) {
            chain.add(phase("warm-up cached", consolidated("warm-up cached", false), WARM_UP));
        }
        if (phases.contains("stored")) {
            chain.add(phase("stored", stored("stored-record search"), PHASE));
        }
        if (phases.contains("cached")) {
            chain.add(phase("cached", consolidated("cached consolidated search", false), PHASE));
        }
        if (phases.contains("uncached")) {
            chain.add(phase("uncached", consolidated("uncached consolidated search", true), PHASE));
        }
        if (phases.contains("alone")) { // the latency of one search with nothing else to do: the registries' 50 ms and ours
            chain.add(phase("alone", consolidated("uncached search, one client", true), PHASE, 1));
        }
        PopulationBuilder run = chain.get(chain.size() - 1); // each phase the child of the one before: strictly one after the other
        for (int i = chain.size() - 2; i >= 0; i--) {
            run = chain.get(i).andThen(run);
        }
        setUp(run).protocols(protocol).assertions(global().failedRequests().percent().lt(1.0));
    }
}
