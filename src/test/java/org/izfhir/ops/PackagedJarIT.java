package org.izfhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The packaged application as a user runs it, each in its own process and folder outside the
 * checkout: the demo ({@code --spring.profiles.active=demo}, with the demo's files from the jar),
 * and the production profile ({@code postgres}) on a PostgreSQL server running as a separate
 * process, configured as a deployment is (a registries file, a SMART clients file, the database
 * from the environment). The production instance consolidates a record from the demo instance's
 * three registries, over SOAP. A second production instance shares its database, as instances
 * behind one load balancer do: tokens, records, revocations and used client assertions are shared.
 * Each is then stopped as an operator stops it.
 */
class PackagedJarIT {

    private static final String REGISTRY_PASSWORD = "demo-registry-password";
    private static final Duration START = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path folders;

    private static EmbeddedPostgres postgres;
    private static final List<Process> processes = new ArrayList<>();
    private static int demoPort;
    private static int productionPort;
    private static int secondPort;
    /** Each instance's management port (health, metrics), by its public port. */
    private static final Map<Integer, Integer> management = new java.util.HashMap<>();
    private static ECKey backendKey;
    private static Map<String, String> database;

    @BeforeAll
    static void start() throws Exception {
        Path jar = jar();
        postgres = EmbeddedPostgres.builder().start();
        demoPort = freePort();
        productionPort = freePort();
        secondPort = freePort();
        for (int port : new int[] {demoPort, productionPort, secondPort}) {
            management.put(port, freePort());
        }
        backendKey = new ECKeyGenerator(Curve.P_384).keyID("backend-1").generate();

        Path demo = Files.createDirectories(folders.resolve("demo"));
        // NJ answers after 2 s: a dose's delivery is still on its way when its instance is killed
        processes.add(launch(jar, demo, Map.of(), "--spring.profiles.active=demo", "--server.port=" + demoPort,
                "--management.server.port=" + management.get(demoPort), "--izfhir.demo.registries.NJ.latency=2s"));

        Path production = Files.createDirectories(folders.resolve("production"));
        Files.writeString(production.resolve("registries.yaml"), registries(demoPort));
        Files.writeString(production.resolve("smart-clients.yaml"), """
                clients:
                  - id: ehr
                    name: An EHR
                    secret: "{noop}ehr-secret"
                    grant-types: [client_credentials]
                    auth-methods: [client_secret_basic]
                    scopes: [system/*.rs, system/Immunization.cud]
                  - id: backend
                    name: A backend service with a key
                    grant-types: [client_credentials]
                    auth-methods: [private_key_jwt]
                    jwks: '%s'
                    scopes: [system/*.rs]
                """.formatted(new JWKSet(backendKey.toPublicJWK()).toString()));
        Path second = Files.createDirectories(folders.resolve("second"));
        Files.copy(production.resolve("registries.yaml"), second.resolve("registries.yaml"));
        Files.copy(production.resolve("smart-clients.yaml"), second.resolve("smart-clients.yaml"));
        database = Map.of(
                "SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "postgres",
                "REGISTRY_PASSWORD", REGISTRY_PASSWORD);
        processes.add(production(jar, production, productionPort));
        awaitReady(processes.get(1), production, productionPort); // the first on an empty database makes the schema
        processes.add(production(jar, second, secondPort));

        awaitReady(processes.get(0), demo, demoPort);
        awaitReady(processes.get(2), second, secondPort);
    }

    /** A production instance; a delivery it leaves (killed) is taken by another 3 s later. */
    private static Process production(Path jar, Path folder, int port) throws IOException {
        return launch(jar, folder, database, "--spring.profiles.active=postgres", "--server.port=" + port,
                "--management.server.port=" + management.get(port), "--izfhir.registries-file=registries.yaml",
                "--izfhir.auth.client-files=smart-clients.yaml", "--izfhir.submissions.lease=3s",
                "--izfhir.submissions.poll-interval=500ms", "--izfhir.submissions.first-retry=1s");
    }

    /** Each instance stopped as an operator stops it (SIGTERM): within 10 s, and without an ERROR line. */
    @AfterAll
    static void stop() throws Exception {
        String[] names = {"demo", "production", "second"};
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            long lines = Files.readAllLines(folders.resolve(names[i]).resolve("out.log")).size();
            long started = System.nanoTime();
            process.destroy();
            boolean stopped = process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            long millis = (System.nanoTime() - started) / 1_000_000;
            List<String> log = Files.readAllLines(folders.resolve(names[i]).resolve("out.log"));
            long errors = log.subList((int) Math.min(lines, log.size()), log.size()).stream()
                    .filter(line -> line.contains(" ERROR ")).count();
            System.out.printf("packaged jar, %s instance: stopped by SIGTERM in %d ms, %d ERROR lines while stopping%n",
                    names[i], millis, errors);
            if (!stopped) {
                process.destroyForcibly();
            }
            if (!stopped || millis > 10_000 || errors > 0) {
                problems.add(names[i] + ": " + (stopped ? "stopped in " + millis + " ms" : "did not stop in 60 s")
                        + ", " + errors + " ERROR lines");
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        assertThat(problems).as("a clean, quick stop").isEmpty();
    }

    /** The jar {@code mvn package} made. */
    static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("iz-fhir-server-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no packaged jar in target/: run mvn verify"))
                    .toAbsolutePath();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process launch(Path jar, Path folder, Map<String, String> environment, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(folder.resolve("out.log").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void awaitReady(Process process, Path folder, int port) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the application in " + folder + " stopped at start:\n" + tail(folder));
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + management.get(port) + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the application in " + folder + " was not ready within " + START + ":\n" + tail(folder));
    }

    private static String tail(Path folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("out.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The demo's three registries, as a deployment's registries file names remote ones. */
    private static String registries(int port) {
        StringBuilder yaml = new StringBuilder("registries:\n");
        String[][] registries = {{"NJ", "cdc-2011", "Z44"}, {"NY", "cdc-2014", "Z34"}, {"PA", "cdc-2011", "Z44"}};
        for (String[] registry : registries) {
            yaml.append("""
                      - id: %1$s
                        name: %1$s registry
                        endpoint: http://localhost:%2$d/demo-registries/%1$s/soap
                        transport: %3$s
                        facility-id: IZFHIR-TEST
                        username: izfhir-demo
                        password: ${REGISTRY_PASSWORD}
                        query-profile: %4$s
                        receiving-application: %1$sIIS
                        receiving-facility: %1$s
                        processing-id: T
                        states: [%1$s]
                    """.formatted(registry[0], port, registry[1], registry[2]));
        }
        return yaml.toString();
    }

    private static String token(int port, String client, String secret) throws Exception {
        return token(port, client, secret, "system/*.rs");
    }

    private static String token(int port, String client, String secret, String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replaceAll(".*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static HttpResponse<String> search(int port, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/fhir/Immunization?patient.family=Rivera&patient.given=Sophia&patient.birthdate=2021-03-14&_count=50"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long registryCalls(int port) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + management.get(port)
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        return (long) metrics.body().lines().filter(l -> l.startsWith("izfhir_registry_calls_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int status(int port, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Organization"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A request as a load balancer forwards it: to one instance, under the public host name. */
    private static String post(int port, String publicHost, String path, String form) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + publicHost
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void whenTwoInstancesShareOneDatabaseThenTokensRecordsRevocationsAndUsedAssertionsAreShared() throws Exception {
        String token = token(productionPort, "ehr", "ehr-secret");
        assertThat(status(secondPort, token)).as("a token issued by one instance works on the other").isEqualTo(200);

        assertThat(search(productionPort, token).statusCode()).isEqualTo(200);
        long secondCalls = registryCalls(secondPort);
        HttpResponse<String> fromStorage = search(secondPort, token);
        assertThat(fromStorage.statusCode()).isEqualTo(200);
        assertThat(fromStorage.body()).contains("\"total\":18");
        assertThat(registryCalls(secondPort)).as("a record consulted through one instance is served by the other"
                + " from storage").isEqualTo(secondCalls);

        String basic = Base64.getEncoder().encodeToString("ehr:ehr-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + productionPort
                        + "/oauth2/revoke")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int afterRevocation = status(secondPort, token);
        while (afterRevocation != 401 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            afterRevocation = status(secondPort, token);
        }
        assertThat(afterRevocation).as("a revocation at one instance is refused by the other within 10 s").isEqualTo(401);

        String publicHost = "localhost:" + productionPort;
        String assertion = assertion("http://" + publicHost + "/oauth2/token");
        String form = "grant_type=client_credentials&scope=system/*.rs&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion;
        assertThat(post(productionPort, publicHost, "/oauth2/token", form)).startsWith("HTTP/1.1 200");
        assertThat(post(secondPort, publicHost, "/oauth2/token", form)).as("an assertion replayed at the other instance")
                .startsWith("HTTP/1.1 401").contains("invalid_client");
        assertThat(post(secondPort, publicHost, "/oauth2/token", form.replace(assertion,
                assertion("http://" + publicHost + "/oauth2/token")))).as("a fresh one is taken there").startsWith("HTTP/1.1 200");
    }

    private static String assertion(String audience) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(backendKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer("backend").subject("backend")
                .audience(audience).expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(240)))
                .jwtID(java.util.UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(backendKey));
        return jwt.serialize();
    }

    @Test
    void whenTheDemoJarRunsOutsideTheCheckoutThenItServesTheDemoRecords() throws Exception {
        HttpResponse<String> record = search(demoPort, token(demoPort, "demo-ehr", "demo-ehr-secret"));

        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(record.body()).contains("\"total\":18");
        assertThat(Files.exists(folders.resolve("demo").resolve("fhir-config"))).isFalse();
        for (String file : List.of("/demo-app/", "/demo-app/fhir-client.pure.min.js", "/demo-app/record.js", "/pages/style.css")) {
            HttpResponse<String> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demoPort + file))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).as("the demo app ships in the jar: " + file).isEqualTo(200);
        }
    }

    @Test
    void whenTheProductionProfileRunsOnAPostgresqlServerThenItConsolidatesFromRemoteRegistries() throws Exception {
        HttpResponse<String> record = search(productionPort, token(productionPort, "ehr", "ehr-secret"));

        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(record.body()).contains("\"total\":18", "NJ registry", "NY registry", "PA registry");
        assertThat(tail(folders.resolve("production"))).doesNotContain("embedded PostgreSQL", "Embedded PostgreSQL");
    }

    /**
     * kill -9 with two doses not yet acknowledged: one accepted while NJ was down (queued for a
     * retry), one whose VXU NJ has processed and whose ACK is on its way (NJ answers after 2 s).
     * The other instance sends each again, NJ keeps one of each (same MSH-10 and ORC-3), and the
     * killed instance restarts on the same outbox.
     */
    @Test
    void whenAnInstanceIsKilledBeforeItsDosesAreAcknowledgedThenAnotherDeliversThemOnceAndNothingIsLost() throws Exception {
        javax.sql.DataSource outbox = postgres.getPostgresDatabase();
        String token = token(productionPort, "ehr", "ehr-secret", "system/*.rs system/Immunization.cud");
        knobs("NJ", "fault=HTTP_ERROR");
        assertThat(FleetSubmissions.submit(productionPort, token, "Kowalski").join().body()).contains("\"code\":\"queued\"");
        knobs("NJ", "latency=2s");
        FleetSubmissions.submit(productionPort, token, "Kowalczyk");
        FleetSubmissions.await(outbox, "Kowalczyk", Duration.ofSeconds(30), row -> row.attempts() == 1);
        Thread.sleep(300); // the VXU is at NJ, which answers after 2 s
        processes.get(1).destroyForcibly().waitFor();

        for (String family : List.of("Kowalski", "Kowalczyk")) {
            FleetSubmissions.Row delivered = FleetSubmissions.await(outbox, family, Duration.ofSeconds(40),
                    row -> row.state().equals("accepted"));
            assertThat(delivered.attempts()).as(family + ": sent by the killed instance, then by the other").isGreaterThanOrEqualTo(2);
            assertThat(FleetSubmissions.dosesAtNj(demoPort, REGISTRY_PASSWORD, family)).as(family + " doses at NJ").isEqualTo(1);
            System.out.printf("kill -9 before the ACK was recorded: %s's dose delivered after %d attempts; NJ holds 1%n",
                    family, delivered.attempts());
        }

        Path production = folders.resolve("production");
        processes.set(1, production(jar(), production, productionPort));
        awaitReady(processes.get(1), production, productionPort);
        String taskId = FleetSubmissions.delivery(outbox, "Kowalczyk").orElseThrow().id();
        HttpResponse<String> task = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + productionPort
                + "/fhir/Task/" + taskId)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
        assertThat(task.body()).contains("\"status\":\"completed\"", "\"code\":\"accepted\"");
    }

    /** Tells the demo instance's registry how to behave from now on (PUT /demo-registries/{id}/knobs). */
    private static void knobs(String registry, String query) throws Exception {
        HttpResponse<String> set = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + demoPort
                + "/demo-registries/" + registry + "/knobs?" + query)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }
}
