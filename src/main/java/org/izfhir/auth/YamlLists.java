package org.izfhir.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A YAML file holding one list of entries, bound as Spring binds configuration: kebab-case keys,
 * {@code ${ENV_VAR}} placeholders resolved, an unknown key an error (a typo must not silently
 * drop a setting).
 */
final class YamlLists {

    private YamlLists() {
    }

    /**
     * The entries under {@code name}; none when the file is empty.
     *
     * @param what how the file is named in errors
     * @throws IllegalStateException when the file is missing or does not bind
     */
    static <T> List<T> bind(Path file, String name, Class<T> type, Environment environment, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(what + " " + file.toAbsolutePath() + " does not exist");
        }
        try {
            List<PropertySource<?>> documents = new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
            if (documents.isEmpty()) {
                return List.of();
            }
            return new Binder(ConfigurationPropertySources.from(documents.get(0)),
                    new PropertySourcesPlaceholdersResolver(environment))
                    .bind(name, Bindable.listOf(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElse(List.of());
        } catch (IOException | BindException e) {
            throw new IllegalStateException(what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
