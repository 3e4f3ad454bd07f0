package org.izfhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast start the README describes: {@code bin/cds-archive} extracts the packaged jar and records
 * a class-data archive from a training start, and the demo then starts from the extracted jar with
 * that archive, the client compiler alone and the idle-memory options, outside the checkout. The
 * JVM is told to refuse to start without the archive ({@code -Xshare:on}), so a ready server shows
 * the archive was used. It answers, and stops cleanly.
 */
class ClassDataArchiveIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    @Test
    void theDemoStartsFromAClassDataArchive() throws Exception {
        Path jar = PackagedJarIT.jar();
        Path archive = folder.resolve("cds");
        ProcessBuilder making = new ProcessBuilder("bash", "bin/cds-archive", jar.toString(), archive.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("cds-archive.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        making.environment().put("CDS_TRAINING_PORT", String.valueOf(freePortPair()));
        Process made = making.start();
        assertThat(made.waitFor(6, TimeUnit.MINUTES)).as("bin/cds-archive within 6 minutes").isTrue();
        assertThat(made.exitValue()).as(Files.readString(folder.resolve("cds-archive.log"))).isZero();
        assertThat(archive.resolve("app.jsa")).isNotEmptyFile();

        int port = freePortPair();
        Path work = Files.createDirectories(folder.resolve("run"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive.resolve("app.jsa"), "-XX:TieredStopAtLevel=1",
                "-Xms64m", "-Xmx512m", "-XX:G1PeriodicGCInterval=15000", "-XX:-G1PeriodicGCInvokesConcurrent",
                "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=15",
                "-jar", archive.resolve(jar.getFileName()).toString(), "--spring.profiles.active=demo",
                "--server.port=" + port, "--management.server.port=" + (port + 1)));
        Path log = work.resolve("out.log");
        Process server = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            awaitReady(server, port + 1, log);
            HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/fhir/metadata")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.body()).contains("\"resourceType\":\"CapabilityStatement\"");
        } finally {
            long started = System.nanoTime();
            server.destroy();
            boolean stopped = server.waitFor(60, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!stopped) {
                server.destroyForcibly();
            }
            assertThat(stopped && millis <= 10_000).as("stopped by SIGTERM within 10 s (took %d ms)", millis).isTrue();
        }
        assertThat(Files.readAllLines(log)).noneMatch(line -> line.contains(" ERROR "));
    }

    private static void awaitReady(Process server, int management, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server stopped at start:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + management
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server was not ready within 150 s:\n" + Files.readString(log));
    }

    /** A free port whose next port is free too (the public and the management port). */
    private static int freePortPair() throws IOException {
        while (true) {
            try (ServerSocket first = new ServerSocket(0); ServerSocket next = new ServerSocket(first.getLocalPort() + 1)) {
                return first.getLocalPort();
            } catch (IOException taken) {
                // try another pair
            }
        }
    }
}
