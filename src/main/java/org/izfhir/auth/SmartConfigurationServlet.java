package org.izfhir.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.izfhir.fhir.FhirServerProperties;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART client gets a token here (SMART
 * App Launch 2, section "Conformance"). JSON whatever the {@code Accept} header, open to any
 * origin. It claims only what the server does: standalone patient launch for public and
 * confidential apps (PKCE S256, OpenID Connect, refresh tokens), backend services with a signed
 * JWT or a client secret, patient and system scopes in both scope syntaxes.
 */
class SmartConfigurationServlet extends HttpServlet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient AuthorizationServerSettings endpoints;

    SmartConfigurationServlet(AuthorizationServerSettings endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String issuer = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + endpoints.getJwkSetEndpoint());
        document.put("token_endpoint", issuer + endpoints.getTokenEndpoint());
        document.put("authorization_endpoint", issuer + endpoints.getAuthorizationEndpoint());
        document.put("token_endpoint", issuer + endpoints.getTokenEndpoint());
        document.put("introspection_endpoint", issuer + endpoints.getTokenIntrospectionEndpoint());
        document.put("revocation_endpoint", issuer + endpoints.getTokenRevocationEndpoint());
        document.put("userinfo_endpoint", issuer + endpoints.getOidcUserInfoEndpoint());
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        document.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic", "none"));
        document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        List<String> scopes = new ArrayList<>(List.of("openid", "fhirUser", "launch/patient", "offline_access",
                "online_access", "patient/*.rs", "patient/*.read"));
        FhirServerProperties.RECORD_TYPES.forEach(type -> scopes.add("patient/" + type + ".rs"));
        scopes.addAll(List.of("system/*.rs", "system/*.read"));
        FhirServerProperties.RECORD_TYPES.forEach(type -> scopes.add("system/" + type + ".rs"));
        scopes.addAll(List.of("system/*.cruds", "system/*.*"));
        document.put("scopes_supported", scopes);
        document.put("response_types_supported", List.of("code"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("capabilities", List.of("health-cards", "launch-standalone", "client-public", "client-confidential-symmetric",
                "client-confidential-asymmetric",
                "context-standalone-patient", "permission-patient", "permission-offline", "permission-online",
                "permission-v1", "permission-v2", "sso-openid-connect"));
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=3600");
        JSON.writeValue(response.getOutputStream(), document);
    }
}
