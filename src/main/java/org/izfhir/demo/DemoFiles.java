package org.izfhir.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The demo's own files (its registries, SMART clients, accounts and registry seeds) ship in the
 * jar, under {@code demo/}, so that {@code java -jar … --spring.profiles.active=demo} runs from any
 * folder. When the demo profile is on and its seeds folder ({@code izfhir.demo.seeds}) is not on
 * disk, as outside a checkout, the bundled files are copied to a temporary folder and every demo
 * setting that pointed into the missing folder points there instead. Settings pointing elsewhere
 * (a deployment's own files) are left as they are.
 */
public final class DemoFiles implements EnvironmentPostProcessor, Ordered {

    static final String BUNDLED = "demo";
    private static final List<String> FILE_SETTINGS = List.of("izfhir.registries-file", "izfhir.auth.client-files",
            "izfhir.auth.user-files");

    private final Log log;

    public DemoFiles(DeferredLogFactory logs) {
        this.log = logs.getLog(DemoFiles.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and profiles are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("demo"))) {
            return;
        }
        String seeds = environment.getProperty("izfhir.demo.seeds", "fhir-config/demo");
        if (Files.isDirectory(Path.of(seeds))) {
            return;
        }
        Path copy = extract();
        Map<String, Object> settings = new HashMap<>();
        settings.put("izfhir.demo.seeds", copy.toString());
        for (String name : FILE_SETTINGS) {
            String value = environment.getProperty(name);
            if (value != null && value.contains(seeds)) {
                settings.put(name, value.replace(seeds, copy.toString()));
            }
        }
        environment.getPropertySources().addFirst(new MapPropertySource("bundled demo files", settings));
        log.info("Demo files: " + seeds + " is not here; using the demo files bundled in the application (" + copy + ")");
    }

    /** The bundled demo files, copied to a new temporary folder (removed at exit). */
    static Path extract() {
        try {
            Path folder = Files.createTempDirectory("izfhir-demo-");
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:" + BUNDLED + "/**");
            for (Resource resource : resources) {
                String url = resource.getURL().toString();
                String relative = url.substring(url.lastIndexOf("/" + BUNDLED + "/") + BUNDLED.length() + 2);
                if (relative.isEmpty() || relative.endsWith("/") || !resource.isReadable()) {
                    continue; // a folder
                }
                Path target = folder.resolve(relative).normalize();
                if (!target.startsWith(folder)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().deleteOnExit();
            }
            folder.toFile().deleteOnExit();
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled demo files could not be copied", e);
        }
    }
}
