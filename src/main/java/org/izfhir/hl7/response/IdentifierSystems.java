package org.izfhir.hl7.response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Identifier systems for identifiers that come from registries: each names the registry that
 * sent it and the assigning authority it gave, so that the same number from two registries
 * (or two authorities) never collides.
 *
 * <p>Form: {@code http://izfhir.org/fhir/sid/registry/{registry}/{authority}}; an authority
 * sent as an OID (CX-4.2 with CX-4.3 {@code ISO}) keeps it as {@code urn:oid:...} in
 * {@code Identifier.assigner.identifier}.
 */
public final class IdentifierSystems {

    public static final String BASE = "http://izfhir.org/fhir/sid/registry/";

    private IdentifierSystems() {
    }

    /** The system of identifiers assigned by {@code authority} as reported by {@code registry}. */
    public static String of(String registry, String authority) {
        String a = authority == null || authority.isBlank() ? "unknown-authority" : authority.trim();
        return BASE + encode(registry) + "/" + encode(a);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
