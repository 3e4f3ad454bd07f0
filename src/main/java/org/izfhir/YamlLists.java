package org.izfhir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A deployment file holding one list of entries (the registries, the SMART clients, the
 * accounts), bound as Spring binds configuration: kebab-case keys, {@code ${ENV_VAR}}
 * placeholders resolved. A typo must not silently drop a setting, so an unknown key is an error,
 * and every error names the entry (by its {@code id}, else its position) and the key.
 */
public final class YamlLists {

    /** What is wrong with a file, one problem per line an operator can act on. */
    public static final class Invalid extends RuntimeException {

        private final transient List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private YamlLists() {
    }

    /**
     * The entries of the list {@code name}; none when the file is empty.
     *
     * @param entry how one entry is called in problems ("registry", "client")
     * @throws Invalid when the file is missing, is not YAML, holds other keys or does not bind
     */
    public static <T> List<T> bind(Path file, String name, String entry, Class<T> type, Environment environment) {
        if (!Files.isRegularFile(file)) {
            throw new Invalid(List.of("the file does not exist"));
        }
        PropertySource<?> source;
        try {
            List<PropertySource<?>> documents = new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
            if (documents.isEmpty()) {
                return List.of();
            }
            source = documents.get(0);
        } catch (IOException | RuntimeException e) {
            throw new Invalid(List.of("it is not valid YAML: " + firstLine(e.getMessage())));
        }
        List<String> problems = new ArrayList<>();
        if (source instanceof EnumerablePropertySource<?> keys) {
            for (String key : keys.getPropertyNames()) {
                if (!key.startsWith(name + "[") && !key.equals(name)) {
                    problems.add("unknown key '" + key + "' (the file holds one list, '" + name + "')");
                }
            }
        }
        try {
            List<T> entries = new Binder(ConfigurationPropertySources.from(source), new PropertySourcesPlaceholdersResolver(environment))
                    .bind(name, Bindable.listOf(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElse(List.of());
            if (problems.isEmpty()) {
                return entries;
            }
        } catch (BindException e) {
            problems.add(describe(e, source, name, entry));
        }
        throw new Invalid(problems);
    }

    /** How an entry is named in problems: by its id when it has one, and its position (from 1). */
    public static String entryName(String entry, int index, String id) {
        return (id == null || id.isBlank() ? entry : entry + " '" + id + "'") + " (entry " + (index + 1) + ")";
    }

    private static String describe(BindException e, PropertySource<?> source, String name, String entry) {
        String property = e.getProperty() != null ? e.getProperty().getName().toString() : e.getName().toString();
        Throwable cause = e.getCause();
        if (cause instanceof UnboundConfigurationPropertiesException unbound) {
            return String.join("; ", unbound.getUnboundProperties().stream()
                    .map(p -> where(p.getName().toString(), source, name, entry) + ": unknown key").toList());
        }
        return where(property, source, name, entry) + ": " + firstLine(cause != null ? cause.getMessage() : e.getMessage());
    }

    private static String where(String property, PropertySource<?> source, String name, String entry) {
        Matcher matcher = Pattern.compile(Pattern.quote(name) + "\\[(\\d+)]\\.?(.*)").matcher(property);
        if (!matcher.matches()) {
            return "key '" + property + "'";
        }
        int index = Integer.parseInt(matcher.group(1));
        Object id = source.getProperty(name + "[" + index + "].id");
        if (id == null) {
            id = source.getProperty(name + "[" + index + "].username");
        }
        return entryName(entry, index, id == null ? null : id.toString()) + ", key '" + matcher.group(2) + "'";
    }

    /** The first line of an exception's message, for a problem an operator reads; empty for none. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
