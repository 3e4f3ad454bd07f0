package org.izfhir.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMART on FHIR authorization ({@code izfhir.auth}).
 *
 * @param clientFiles    YAML files of registered apps and backend services (see {@link SmartClientsFile})
 * @param systemTokenTtl how long a backend service's access token lives
 * @param userTokenTtl   how long an app's access token lives (at most an hour)
 * @param refreshTokenTtl how long an app's refresh token lives ({@code offline_access})
 * @param userFiles      YAML files of the accounts that sign in to launch apps (see {@link UserAccounts})
 */
@ConfigurationProperties("izfhir.auth")
public record AuthProperties(
        @DefaultValue("fhir-config/smart-clients.yaml") List<String> clientFiles,
        @DefaultValue("5m") Duration systemTokenTtl,
        @DefaultValue("1h") Duration userTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue List<String> userFiles) {

    public AuthProperties {
        userFiles = userFiles == null ? List.of() : List.copyOf(userFiles);
        if (systemTokenTtl.isNegative() || systemTokenTtl.isZero() || userTokenTtl.isNegative() || userTokenTtl.isZero()
                || userTokenTtl.compareTo(Duration.ofHours(1)) > 0 || refreshTokenTtl.isNegative() || refreshTokenTtl.isZero()) {
            throw new IllegalArgumentException("izfhir.auth: token lifetimes must be positive, and at most 1h for apps;"
                    + " got system-token-ttl " + systemTokenTtl + ", user-token-ttl " + userTokenTtl
                    + ", refresh-token-ttl " + refreshTokenTtl);
        }
    }
}
