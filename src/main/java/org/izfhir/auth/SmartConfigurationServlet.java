package org.izfhir.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART client gets a token here (SMART
 * App Launch 2, section "Conformance"). JSON whatever the {@code Accept} header, open to any
 * origin. It claims only what the server does: backend services with a client secret, and
 * system-level scopes in both scope syntaxes.
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
        document.put("introspection_endpoint", issuer + endpoints.getTokenIntrospectionEndpoint());
        document.put("revocation_endpoint", issuer + endpoints.getTokenRevocationEndpoint());
        document.put("grant_types_supported", List.of("client_credentials"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        document.put("scopes_supported", List.of("system/*.rs", "system/*.read", "system/Patient.rs",
                "system/Immunization.rs", "system/ImmunizationRecommendation.rs", "system/ImmunizationEvaluation.rs",
                "system/Provenance.rs", "system/*.cruds", "system/*.*"));
        document.put("response_types_supported", List.of());
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("capabilities", List.of("client-confidential-symmetric", "permission-v1", "permission-v2"));
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Cache-Control", "public, max-age=3600");
        JSON.writeValue(response.getOutputStream(), document);
    }
}
