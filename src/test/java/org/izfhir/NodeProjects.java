package org.izfhir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Node programs some integration tests run beside the server (an independent card verifier,
 * the browser test): each is a folder of {@code src/test/node}, copied into {@code target/} and
 * installed there by npm from the registry.
 */
public final class NodeProjects {

    private NodeProjects() {
    }

    /** The installed copy of {@code src/test/node/<name>}, or null when Node or npm cannot install it (see npm.log). */
    public static Path install(String name) throws IOException, InterruptedException {
        Path source = Path.of("src/test/node", name);
        Path target = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(target.toFile()).redirectErrorStream(true)
                    .redirectOutput(target.resolve("npm.log").toFile()).start();
            return npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0 ? target : null;
        } catch (IOException noNpm) {
            return null;
        }
    }
}
