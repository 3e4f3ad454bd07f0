package org.izfhir.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.izfhir.YamlLists;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The registered SMART apps and backend services, from a YAML file ({@code clients:} list). A
 * client's registration id is derived from its client id, so loading the file again updates the
 * stored registration rather than adding one. Values may be {@code ${ENV_VAR}} placeholders.
 *
 * <pre>
 * clients:
 *   - id: demo-ehr
 *     name: Demo EHR (backend service)
 *     secret: "{noop}demo-ehr-secret"        # {bcrypt}... in production
 *     grant-types: [client_credentials]
 *     auth-methods: [client_secret_basic]
 *     scopes: [system/*.rs]
 *   - id: partner-backend                    # SMART Backend Services: a signed JWT, RS384 or ES384
 *     grant-types: [client_credentials]
 *     auth-methods: [private_key_jwt]
 *     jwks-url: https://partner.example/.well-known/jwks.json   # or jwks: '{"keys":[...]}'
 *     scopes: [system/Immunization.rs]
 *   - id: family-app                         # a SMART app people launch
 *     name: Family Vaccines                  # shown on the sign-in and consent pages, with
 *     logo: /pages/apps/family-app.png       # its logo (served by this server: the pages load nothing from elsewhere)
 *     website: https://family-app.example    # and its web site
 *     grant-types: [authorization_code, refresh_token]
 *     redirect-uris: ["https://family-app.example/callback"]
 *     scopes: [launch/patient, openid, fhirUser, offline_access, "patient/*.rs"]
 * </pre>
 */
public final class SmartClientsFile {

    /** One entry of the file. */
    public record Entry(String id, String name, String secret, List<String> grantTypes, List<String> authMethods,
                        List<String> scopes, List<String> redirectUris, Duration accessTokenTtl, String jwks,
                        String jwksUrl, String logo, String website) {
    }

    private SmartClientsFile() {
    }

    /**
     * The clients of a file.
     *
     * @throws IllegalStateException naming the file and every problem found
     */
    public static List<RegisteredClient> load(Path file, Environment environment, AuthProperties lifetimes) {
        List<Entry> entries;
        try {
            entries = YamlLists.bind(file, "clients", "client", Entry.class, environment);
        } catch (YamlLists.Invalid e) {
            throw new IllegalStateException("SMART clients file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        List<RegisteredClient> clients = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String where = YamlLists.entryName("client", i, entry.id());
            if (entry.id() == null || entry.id().isBlank()) {
                problems.add(where + ": an id is required");
                continue;
            }
            if (!ids.add(entry.id())) {
                problems.add(where + ": id '" + entry.id() + "' is used by an earlier entry");
            }
            clients.add(client(entry, where, problems, lifetimes));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("SMART clients file " + file + ": " + String.join("; ", problems));
        }
        return List.copyOf(clients);
    }

    private static RegisteredClient client(Entry entry, String where, List<String> problems, AuthProperties lifetimes) {
        List<String> grants = entry.grantTypes() == null ? List.of() : entry.grantTypes();
        List<String> methods = entry.authMethods() == null || entry.authMethods().isEmpty()
                ? List.of(entry.secret() == null ? "none" : "client_secret_basic") : entry.authMethods();
        if (grants.isEmpty()) {
            problems.add(where + ": grant-types are required (client_credentials, authorization_code, refresh_token)");
        }
        if (methods.stream().anyMatch(m -> m.startsWith("client_secret")) && (entry.secret() == null || entry.secret().isBlank())) {
            problems.add(where + ": a secret is required for " + methods);
        }
        boolean backend = grants.equals(List.of("client_credentials"));
        ClientSettings.Builder settings = ClientSettings.builder().requireProofKey(!backend).requireAuthorizationConsent(!backend);
        if (methods.contains("private_key_jwt")) {
            // the algorithm SMART asks for first; ES384 is accepted as well (see ClientAssertions)
            settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384);
            if (entry.jwks() != null) {
                try {
                    ClientAssertions.checkJwks(entry.jwks());
                    settings.setting(ClientAssertions.JWKS_SETTING, entry.jwks());
                } catch (java.text.ParseException e) {
                    problems.add(where + ": jwks is not a JSON Web Key Set with keys: " + e.getMessage());
                }
            } else if (entry.jwksUrl() != null) {
                settings.jwkSetUrl(entry.jwksUrl());
            } else {
                problems.add(where + ": private_key_jwt needs the client's public keys: jwks (inline JSON) or jwks-url");
            }
        }
        if (entry.logo() != null) { // shown on the sign-in and consent pages, which load nothing from elsewhere
            if (!entry.logo().startsWith("/") || entry.logo().startsWith("//")) {
                problems.add(where + ": logo must be a path on this server (/...), not " + entry.logo());
            }
            settings.setting(Pages.APP_LOGO, entry.logo());
        }
        if (entry.website() != null) {
            if (!entry.website().startsWith("https://") && !entry.website().startsWith("http://")) {
                problems.add(where + ": website must be an http(s) address, not " + entry.website());
            }
            settings.setting(Pages.APP_WEBSITE, entry.website());
        }
        RegisteredClient.Builder client = RegisteredClient
                .withId(UUID.nameUUIDFromBytes(entry.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString())
                .clientId(entry.id())
                .clientName(entry.name() == null ? entry.id() : entry.name())
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(entry.accessTokenTtl() != null ? entry.accessTokenTtl()
                                : backend ? lifetimes.systemTokenTtl() : lifetimes.userTokenTtl())
                        .refreshTokenTimeToLive(lifetimes.refreshTokenTtl())
                        .reuseRefreshTokens(false)
                        .build());
        if (entry.secret() != null) {
            client.clientSecret(entry.secret());
        }
        grants.forEach(g -> client.authorizationGrantType(new AuthorizationGrantType(g)));
        methods.forEach(m -> client.clientAuthenticationMethod(new ClientAuthenticationMethod(m)));
        if (entry.scopes() != null) {
            for (String scope : entry.scopes()) {
                client.scope(scope);
            }
        }
        if (entry.redirectUris() != null) {
            entry.redirectUris().forEach(client::redirectUri);
        }
        try {
            return client.build();
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }
}
