package org.izfhir.demo;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.izfhir.registry.EndpointResolver;
import org.springframework.core.env.Environment;

/**
 * The demo registries' endpoints, {@code http://localhost/demo-registries/...} in the demo's
 * registries file, on the port this server listens on: known only once it listens (any port in
 * the tests), then fixed. Every other endpoint as configured.
 */
final class DemoEndpoints implements EndpointResolver {

    static final String PATH = "/demo-registries/";

    private final Environment environment;

    DemoEndpoints(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Supplier<URI> resolve(URI configured) {
        if (!"localhost".equals(configured.getHost()) || configured.getPort() != -1
                || configured.getPath() == null || !configured.getPath().startsWith(PATH)) {
            return AS_CONFIGURED.resolve(configured);
        }
        AtomicReference<URI> resolved = new AtomicReference<>();
        return () -> {
            URI uri = resolved.get();
            if (uri == null) {
                String port = environment.getProperty("local.server.port");
                if (port == null) {
                    throw new IllegalStateException("the demo registries are called before the server listens");
                }
                uri = URI.create(configured.toString().replaceFirst("//localhost/", "//localhost:" + port + "/"));
                resolved.set(uri);
            }
            return uri;
        };
    }
}
