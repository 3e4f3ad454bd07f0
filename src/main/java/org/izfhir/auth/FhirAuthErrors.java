package org.izfhir.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * What the FHIR API answers without a valid token (401) or with too little of one (403): the
 * OAuth 2 bearer token error in {@code WWW-Authenticate} (RFC 6750), and an OperationOutcome
 * saying the same in words, as FHIR clients expect.
 */
final class FhirAuthErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        bearer.commence(request, response, e);
        boolean noToken = request.getHeader("Authorization") == null;
        write(response, "login", noToken
                ? "This request needs an access token: send 'Authorization: Bearer <token>' (see "
                + "/fhir/.well-known/smart-configuration for how to get one)"
                : "The access token is not valid (expired, revoked, malformed or not signed by this server): "
                + e.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        denied.handle(request, response, e);
        write(response, "forbidden", "The access token does not allow this request: " + e.getMessage());
    }

    static void write(HttpServletResponse response, String code, String diagnostics) throws IOException {
        response.setContentType("application/fhir+json;charset=UTF-8");
        byte[] body = JSON.writeValueAsString(Map.of("resourceType", "OperationOutcome", "issue",
                List.of(Map.of("severity", "error", "code", code, "diagnostics", diagnostics))))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
