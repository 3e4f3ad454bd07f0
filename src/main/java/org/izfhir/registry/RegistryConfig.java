package org.izfhir.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.registry.soap.Transport;

/**
 * One registry of {@code registries.yaml}, validated, with its secrets resolved.
 *
 * @param endpoint      the SOAP endpoint (an {@link EndpointResolver} may send the calls elsewhere)
 * @param destinationId the hub's {@code DestinationId}; null unless the transport is the hub
 * @param states        the states this registry serves; empty when not said
 * @param submissions   whether doses are submitted to it (the states' doses route to it); true unless said
 * @param tls           key and trust stores for mutual TLS; null for the JDK defaults
 */
public record RegistryConfig(String id, String name, String endpoint, Transport transport, String destinationId,
                             String facilityId, String username, String password, QueryProfile queryProfile,
                             MessageHeader header, Set<String> states, boolean submissions, Duration connectTimeout,
                             Duration readTimeout, Tls tls) {

    /** PKCS12 key store (our client certificate) and trust store (the registry's CA) for mutual TLS. */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
        }
    }

    @Override
    public String toString() { // never the credentials
        return "RegistryConfig[" + id + " " + transport.configName() + " " + endpoint
                + (destinationId == null ? "" : " destination " + destinationId) + "]";
    }
}
