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

/**
 * The packaged application as a user runs it, each in its own process and folder outside the
 * checkout: the demo ({@code --spring.profiles.active=demo}, with the demo's files from the jar),
 * and the production profile ({@code postgres}) on a PostgreSQL server running as a separate
 * process, configured as a deployment is (a registries file, a SMART clients file, the database
 * from the environment). The production instance consolidates a record from the demo instance's
 * three registries, over SOAP. Each is then stopped as an operator stops it.
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

    @BeforeAll
    static void start() throws Exception {
        Path jar = jar();
        postgres = EmbeddedPostgres.builder().start();
        demoPort = freePort();
        productionPort = freePort();

        Path demo = Files.createDirectories(folders.resolve("demo"));
        processes.add(launch(jar, demo, Map.of(), "--spring.profiles.active=demo", "--server.port=" + demoPort));

        Path production = Files.createDirectories(folders.resolve("production"));
        Files.writeString(production.resolve("registries.yaml"), registries(demoPort));
        Files.writeString(production.resolve("smart-clients.yaml"), """
                clients:
                  - id: ehr
                    name: An EHR
                    secret: "{noop}ehr-secret"
                    grant-types: [client_credentials]
                    auth-methods: [client_secret_basic]
                    scopes: [system/*.rs]
                """);
        processes.add(launch(jar, production, Map.of(
                        "SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                        "SPRING_DATASOURCE_USERNAME", "postgres",
                        "SPRING_DATASOURCE_PASSWORD", "postgres",
                        "REGISTRY_PASSWORD", REGISTRY_PASSWORD),
                "--spring.profiles.active=postgres", "--server.port=" + productionPort,
                "--izfhir.registries-file=registries.yaml", "--izfhir.auth.client-files=smart-clients.yaml"));

        awaitReady(processes.get(0), demo, demoPort);
        awaitReady(processes.get(1), production, productionPort);
    }

    /** Each instance stopped as an operator stops it (SIGTERM): within 10 s, and without an ERROR line. */
    @AfterAll
    static void stop() throws Exception {
        String[] names = {"demo", "production"};
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
            System.out.printf("packaged jar, %s profile: stopped by SIGTERM in %d ms, %d ERROR lines while stopping%n",
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

    private static Path jar() throws IOException {
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
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
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
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=system/*.rs")).build(),
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

    @Test
    void whenTheDemoJarRunsOutsideTheCheckoutThenItServesTheDemoRecords() throws Exception {
        HttpResponse<String> record = search(demoPort, token(demoPort, "demo-ehr", "demo-ehr-secret"));

        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(record.body()).contains("\"total\":18");
        assertThat(Files.exists(folders.resolve("demo").resolve("fhir-config"))).isFalse();
    }

    @Test
    void whenTheProductionProfileRunsOnAPostgresqlServerThenItConsolidatesFromRemoteRegistries() throws Exception {
        HttpResponse<String> record = search(productionPort, token(productionPort, "ehr", "ehr-secret"));

        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(record.body()).contains("\"total\":18", "NJ registry", "NY registry", "PA registry");
        assertThat(tail(folders.resolve("production"))).doesNotContain("embedded PostgreSQL", "Embedded PostgreSQL");
    }
}
