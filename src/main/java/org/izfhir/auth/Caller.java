package org.izfhir.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who sent the current FHIR request, from its verified access token: the client (the
 * authorization server's access tokens name it as audience), the subject (a signed-in user, or
 * the client itself for a backend service) and the patient in context, if any.
 */
record Caller(String client, String subject, String patient, Jwt token) {

    /** The caller of the request this thread serves; empty without a verified token. */
    static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken verified)) {
            return Optional.empty();
        }
        Jwt token = verified.getToken();
        List<String> audience = token.getAudience();
        Object patient = token.getClaims().get(SmartTokens.PATIENT);
        return Optional.of(new Caller(audience == null || audience.isEmpty() ? "" : audience.get(0),
                token.getSubject() == null ? "" : token.getSubject(), patient == null ? null : patient.toString(), token));
    }

    /** Whether the token is a SMART launch's, limited to one patient. */
    boolean inPatientContext() {
        return patient != null;
    }

    /** Client, subject and patient context: two requests with the same key act for the same party. */
    String key() {
        return client + "\n" + subject + "\n" + (patient == null ? "" : patient);
    }
}
