package org.izfhir.registry;

import java.net.URI;
import java.util.function.Supplier;

/**
 * Where calls to a registry's configured endpoint go: the endpoint itself, unless the application
 * declares a bean of this type that says otherwise (an endpoint whose port is known only once a
 * server listens, say). The supplier is asked at every call, so it should be cheap.
 */
@FunctionalInterface
public interface EndpointResolver {

    /** Every endpoint as configured. */
    EndpointResolver AS_CONFIGURED = endpoint -> () -> endpoint;

    Supplier<URI> resolve(URI configured);
}
