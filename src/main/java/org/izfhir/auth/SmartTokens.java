package org.izfhir.auth;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.security.SecureRandom;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What SMART App Launch adds to the authorization server's tokens: the launch's patient in the
 * access token and beside it in the token response, {@code fhirUser} in the ID token, {@code aud}
 * checked against the FHIR base URL, and refresh tokens for {@code offline_access} and
 * {@code online_access}, to public native apps too (SMART allows them; plain OAuth 2 servers
 * do not issue them to public clients by default).
 */
final class SmartTokens {

    /** The access token claim and token response parameter naming the patient in context. */
    static final String PATIENT = "patient";
    static final String FHIR_USER = "fhirUser";
    private static final Set<String> REFRESHABLE = Set.of("offline_access", "online_access");

    private SmartTokens() {
    }

    /** The FHIR base URL of the server the current request reached: the issuer's {@code /fhir}. */
    static String fhirBase() {
        return AuthorizationServerContextHolder.getContext().getIssuer() + "/fhir";
    }

    /**
     * Adds {@code patient} to the access token and {@code fhirUser} to the ID token, from the launch;
     * with {@code offline_access}, tells {@code keepPatient} the patient, whose id must outlive the
     * stored record as long as the refresh token may.
     */
    static OAuth2TokenCustomizer<JwtEncodingContext> launchClaims(Consumer<String> keepPatient) {
        return context -> {
            OAuth2Authorization authorization = context.getAuthorization();
            OAuth2AuthorizationRequest request = authorization == null ? null
                    : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
            if (request == null) {
                return;
            }
            Object patient = request.getAdditionalParameters().get(PatientLaunch.PATIENT);
            Object self = request.getAdditionalParameters().get(PatientLaunch.FHIR_USER);
            Object proxyUntil = request.getAdditionalParameters().get(PatientLaunch.PROXY_UNTIL);
            String type = context.getTokenType().getValue();
            if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType()) && proxyUntil != null
                    && !java.time.LocalDate.now().isBefore(java.time.LocalDate.parse(proxyUntil.toString()))) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "the account holder may no longer act for this person: they have reached the proxy age", null));
            }
            if (OAuth2TokenType.ACCESS_TOKEN.getValue().equals(type) && patient != null) {
                context.getClaims().claim(PATIENT, patient);
                if (context.getAuthorizedScopes().contains("offline_access")) {
                    keepPatient.accept(patient.toString()); // the app may come back after the record is gone
                }
            } else if (OidcParameterNames.ID_TOKEN.equals(type) && self != null
                    && context.getAuthorizedScopes().contains(FHIR_USER)) {
                context.getClaims().claim(FHIR_USER, fhirBase() + "/Patient/" + self);
            }
        };
    }

    /** Puts the access token's {@code patient} beside it in the token response, as SMART asks. */
    static Consumer<OAuth2AccessTokenAuthenticationContext> patientInResponse() {
        return context -> {
            OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
            String token = issued.getAccessToken().getTokenValue();
            Object patient;
            try {
                patient = SignedJWT.parse(token).getJWTClaimsSet().getClaim(PATIENT);
            } catch (ParseException e) {
                return; // not a token of ours to read
            }
            if (patient != null) {
                Map<String, Object> parameters = new HashMap<>(issued.getAdditionalParameters());
                parameters.put(PATIENT, patient);
                context.getAccessTokenResponse().additionalParameters(parameters);
            }
        };
    }

    /** An authorization request's {@code aud} must be this server's FHIR base URL (SMART App Launch). */
    static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> audienceCheck() {
        return context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            Object aud = request.getAdditionalParameters().get("aud");
            String expected = fhirBase();
            if (aud == null || !strip(aud.toString()).equals(expected)) {
                OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "aud must be this server's FHIR base URL, " + expected, null);
                RegisteredClient client = context.getRegisteredClient();
                String redirect = request.getRedirectUri() != null ? request.getRedirectUri()
                        : client.getRedirectUris().iterator().next();
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(error,
                        new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                                request.getClientId(), (Authentication) request.getPrincipal(), redirect,
                                request.getState(), request.getScopes(), request.getAdditionalParameters()));
            }
        };
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Refresh tokens only for {@code offline_access} or {@code online_access}, to confidential and
     * public clients registered for the {@code refresh_token} grant.
     */
    static OAuth2TokenGenerator<OAuth2RefreshToken> refreshTokens() {
        SecureRandom random = new SecureRandom();
        return context -> {
            if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
                    || !context.getRegisteredClient().getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                    || context.getAuthorizedScopes().stream().noneMatch(REFRESHABLE::contains)) {
                return null;
            }
            byte[] value = new byte[48];
            random.nextBytes(value);
            Instant issued = Instant.now();
            return new OAuth2RefreshToken(Base64.getUrlEncoder().withoutPadding().encodeToString(value), issued,
                    issued.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
        };
    }

    /**
     * A public client's refresh request ({@code grant_type=refresh_token} with {@code client_id}
     * and no client credentials), read as a client authentication by method {@code none}.
     */
    static AuthenticationConverter publicRefresh(OAuth2AuthorizationService authorizations,
                                                 RegisteredClientRepository clients) {
        return request -> {
            if (!"POST".equals(request.getMethod())
                    || !AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
                    || request.getHeader("Authorization") != null || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
                return null;
            }
            String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
            String clientId;
            if (clientIds == null) {
                clientId = clientOfRefreshToken(request.getParameter(OAuth2ParameterNames.REFRESH_TOKEN), authorizations, clients);
            } else {
                clientId = clientIds.length == 1 && !clientIds[0].isBlank() ? clientIds[0] : null;
            }
            if (clientId == null) {
                return null;
            }
            return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null,
                    Map.of(OAuth2ParameterNames.GRANT_TYPE, AuthorizationGrantType.REFRESH_TOKEN.getValue()));
        };
    }

    /**
     * The client a refresh token was issued to, as SMART App Launch lets a public client leave out
     * its {@code client_id}; null when the token is unknown.
     */
    private static String clientOfRefreshToken(String refreshToken, OAuth2AuthorizationService authorizations,
                                               RegisteredClientRepository clients) {
        if (refreshToken == null || refreshToken.isBlank()) {
            return null;
        }
        OAuth2Authorization authorization = authorizations.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN);
        RegisteredClient client = authorization == null ? null : clients.findById(authorization.getRegisteredClientId());
        return client == null ? null : client.getClientId();
    }

    /** Authenticates {@link #publicRefresh}'s requests: a public client registered for refreshing. */
    static AuthenticationProvider publicRefreshClients(RegisteredClientRepository clients) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
                if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
                        || !AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(
                                client.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE))) {
                    return null;
                }
                RegisteredClient registered = clients.findByClientId(String.valueOf(client.getPrincipal()));
                if (registered == null || !registered.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
                        || !registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
                    throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                            "Client authentication failed: not a public client allowed to refresh", null));
                }
                return new OAuth2ClientAuthenticationToken(registered, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> type) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(type);
            }
        };
    }
}
