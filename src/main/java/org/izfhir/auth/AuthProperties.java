package org.izfhir.auth;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param proxyAge       the age from which a dependent is no longer offered to the account holder,
 *                       and a refresh of a token for them is refused
 * @param proxyAges      the same, per state where it differs (the state of the dependent's address
 *                       in the registries' record), e.g. {@code NY: 13}
 * @param keyRotation    how often a new token signing key is made (the earlier one stays published a day longer)
 */
@ConfigurationProperties("izfhir.auth")
public record AuthProperties(
        @DefaultValue("fhir-config/smart-clients.yaml") List<String> clientFiles,
        @DefaultValue("5m") Duration systemTokenTtl,
        @DefaultValue("1h") Duration userTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue List<String> userFiles,
        @DefaultValue("18") int proxyAge,
        Map<String, Integer> proxyAges,
        @DefaultValue("30d") Duration keyRotation) {

    public AuthProperties {
        userFiles = userFiles == null ? List.of() : List.copyOf(userFiles);
        Map<String, Integer> ages = new java.util.TreeMap<>();
        (proxyAges == null ? Map.<String, Integer>of() : proxyAges)
                .forEach((state, age) -> ages.put(state.trim().toUpperCase(Locale.ROOT), age));
        proxyAges = Map.copyOf(ages);
        if (keyRotation.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("izfhir.auth.key-rotation must be at least 1h, got " + keyRotation);
        }
        if (proxyAge < 1 || ages.values().stream().anyMatch(age -> age == null || age < 1)) {
            throw new IllegalArgumentException("izfhir.auth: proxy ages must be positive; got proxy-age " + proxyAge
                    + ", proxy-ages " + ages);
        }
        if (systemTokenTtl.isNegative() || systemTokenTtl.isZero() || userTokenTtl.isNegative() || userTokenTtl.isZero()
                || userTokenTtl.compareTo(Duration.ofHours(1)) > 0 || refreshTokenTtl.isNegative() || refreshTokenTtl.isZero()) {
            throw new IllegalArgumentException("izfhir.auth: token lifetimes must be positive, and at most 1h for apps;"
                    + " got system-token-ttl " + systemTokenTtl + ", user-token-ttl " + userTokenTtl
                    + ", refresh-token-ttl " + refreshTokenTtl);
        }
    }

    /** The proxy age of a state (its two-letter code), or the default. */
    public int proxyAge(String state) {
        return state == null ? proxyAge : proxyAges.getOrDefault(state.trim().toUpperCase(Locale.ROOT), proxyAge);
    }
}
