package org.izfhir.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser origins may call the bearer-token APIs ({@code izfhir.cors}): the FHIR API,
 * discovery, the token, revocation and introspection endpoints and the keys. They take no cookies,
 * so any origin may call them by default; a deployment may list its apps' origins instead.
 *
 * @param allowedOrigins origins or origin patterns ({@code https://*.example.org}); {@code *} for any
 * @param maxAge         how long a browser may keep a preflight's answer
 */
@ConfigurationProperties("izfhir.cors")
public record CorsProperties(@DefaultValue("*") List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
}
