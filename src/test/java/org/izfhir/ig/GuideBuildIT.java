package org.izfhir.ig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Implementation Guide builds from its sources (ig/build.sh: SUSHI, offline), and what it
 * builds is what the repository holds in ig/fsh-generated, which the jar ships and
 * {@link GuideConformanceIT} validates the server's answers against: a profile changed in FSH and
 * not built, or built and not committed, fails here. Needs Node and npm (skipped without them).
 */
class GuideBuildIT {

    @Test
    void whenTheGuideIsBuiltFromItsSourcesThenItIsTheGuideTheServerShips() throws Exception {
        assumeTrue(new ProcessBuilder("npm", "--version").start().waitFor() == 0, "npm is needed to build the guide");
        Path out = Path.of("target", "ig-build").toAbsolutePath();
        Path log = Path.of("target", "ig-build.log").toAbsolutePath();
        // never inheritIO: the test JVM's standard streams are the build tool's channel to it
        Process build = new ProcessBuilder("bash", "ig/build.sh", out.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        build.getOutputStream().close();
        assertThat(build.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as("ig/build.sh, see " + log).isZero();
        Path committed = Path.of("ig", "fsh-generated", "resources");
        Path built = out.resolve("fsh-generated").resolve("resources");
        List<String> names = names(committed);
        assertThat(names(built)).as("the resources built").isEqualTo(names);
        for (String name : names) {
            assertThat(Files.readString(built.resolve(name))).as(name + ": run ig/build.sh and commit ig/fsh-generated")
                    .isEqualTo(Files.readString(committed.resolve(name)));
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
