package org.izfhir.registry;

import java.nio.file.Path;
import java.util.List;

/** The registries file cannot be used; each problem names the entry and the key. */
public class InvalidRegistriesException extends RuntimeException {

    private final Path file;
    private final List<String> problems;

    public InvalidRegistriesException(Path file, List<String> problems) {
        super("Invalid registries file " + file + ":" + String.join("", problems.stream().map(p -> "\n  - " + p).toList()));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    public List<String> problems() {
        return problems;
    }
}
