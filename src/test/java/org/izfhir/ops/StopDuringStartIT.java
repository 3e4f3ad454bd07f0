package org.izfhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator stops the demo while it is still starting (SIGTERM once its embedded database is up):
 * the start-up finishes on a database that is still there, the context closes in order, and the
 * process exits without an ERROR line. The database used to be stopped at once by its library's own
 * JVM shutdown hook, and the context could close while the code sets were still being published;
 * the start-up then failed on closed connections, with ERROR lines.
 */
class StopDuringStartIT {

    @TempDir
    Path folder;

    @Test
    void aStopDuringStartUpIsOrderly() throws Exception {
        Path log = folder.resolve("out.log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", PackagedJarIT.jar().toString(), "--spring.profiles.active=demo",
                "--server.port=0", "--management.server.port=0")
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("Embedded PostgreSQL listening")) {
                assertThat(server.isAlive()).as("the server is starting:\n%s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("the embedded database started within 120 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            server.destroy();
            assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("exited within 90 s of SIGTERM:\n%s",
                    Files.readString(log)).isTrue();
        } finally {
            server.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the log").noneMatch(line -> line.contains(" ERROR "));
        assertThat(lines).as("the log").anyMatch(line -> line.contains("Started IzFhirApplication"));
    }
}
