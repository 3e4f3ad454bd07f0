package org.izfhir.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * What the token, revocation and introspection endpoints answer a request whose client is not
 * known (no credentials, or none that identify a registered client): the OAuth 2 JSON error
 * {@code invalid_client} with 401 (RFC 6749 section 5.2), whatever the {@code Accept} header;
 * never a redirect to the sign-in page, never an empty body.
 */
final class OAuthJsonErrors implements AuthenticationEntryPoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"oauth2\"");
        write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_client", "The client could not be identified:"
                + " a confidential client authenticates (client_secret_basic or private_key_jwt); a public app sends"
                + " its client_id, or a refresh token it was issued");
    }

    /** An OAuth 2 JSON error (RFC 6749 section 5.2), not to be cached. */
    static void write(HttpServletResponse response, int status, String error, String description) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("error", error, "error_description", description));
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
