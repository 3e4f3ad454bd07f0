package org.izfhir.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The patient context of a standalone launch ({@code launch/patient}), chosen by the signed-in
 * account holder among the people the account may act for (themselves, their children), each
 * linked to a consolidated record by {@link LinkedPeople}.
 *
 * <p>It runs in front of the authorization endpoint: once the user is signed in, their people are
 * linked; when there is a choice to make, the browser goes to the patient picker and comes back to
 * the same authorization request. The authorization request then carries the chosen Patient id
 * (and the account holder's own, for {@code fhirUser}) as parameters only the server sets; they are
 * stored with the authorization, so the tokens issued for it, refreshed ones included, name the
 * same patient.
 */
final class PatientLaunch extends OncePerRequestFilter {

    /** The authorization request parameter holding the chosen Patient id (set here only). */
    static final String PATIENT = "izfhir_patient";
    /** The authorization request parameter holding the account holder's own Patient id (set here only). */
    static final String FHIR_USER = "izfhir_fhir_user";
    /** The authorization request parameter holding the day the holder's proxy for the patient ends (set here only). */
    static final String PROXY_UNTIL = "izfhir_proxy_until";
    static final String PICKER = "/launch/patient";

    private static final String SESSION_KEY = PatientLaunch.class.getName();
    private static final int MAX_LAUNCHES_PER_SESSION = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One authorization request being launched.
     *
     * @param id     the picker's reference to it
     * @param query  the authorization request's query string
     * @param links  the account's people
     * @param chosen the chosen Patient id, {@code null} until chosen (or when no patient was asked for)
     * @param ready  whether the request may go on to the authorization endpoint
     */
    record Launch(String id, String clientId, String query, List<LinkedPeople.Link> links, String chosen, boolean ready)
            implements Serializable {

        String selfId() {
            return links.isEmpty() ? null : links.get(0).patientId();
        }

        /** A parameter of the authorization request, decoded, or null when absent or repeated. */
        String parameter(String name) {
            List<String> values = org.springframework.web.util.UriComponentsBuilder.fromUriString("/?" + query).build()
                    .getQueryParams().get(name);
            return values == null || values.size() != 1 || values.get(0) == null ? null
                    : java.net.URLDecoder.decode(values.get(0), java.nio.charset.StandardCharsets.UTF_8);
        }

        Launch choose(String patientId) {
            return new Launch(id, clientId, query, links, patientId, true);
        }
    }

    private final String authorizationEndpoint;
    private final RegisteredClientRepository clients;
    private final UserAccounts accounts;
    private final LinkedPeople people;

    PatientLaunch(String authorizationEndpoint, RegisteredClientRepository clients, UserAccounts accounts,
                  LinkedPeople people) {
        this.authorizationEndpoint = authorizationEndpoint;
        this.clients = clients;
        this.accounts = accounts;
        this.people = people;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod())
                || !authorizationEndpoint.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        Set<String> scopes = new HashSet<>(split(request.getParameter("scope")));
        boolean patientAsked = scopes.contains("launch/patient");
        RegisteredClient client = request.getParameter("client_id") == null ? null
                : clients.findByClientId(request.getParameter("client_id"));
        var account = user instanceof UsernamePasswordAuthenticationToken && user.isAuthenticated()
                ? accounts.account(user.getName()) : Optional.<UserAccounts.Account>empty();
        if ((!patientAsked && !scopes.contains("fhirUser")) || client == null || account.isEmpty()
                || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)
                || !client.getScopes().containsAll(scopes)) {
            chain.doFilter(request, response); // not a launch, or one the authorization endpoint refuses
            return;
        }
        Launch launch = launch(request.getSession(), request.getQueryString());
        if (launch == null) {
            List<LinkedPeople.Link> links = people.of(account.get());
            String id = HexFormat.of().formatHex(randomBytes());
            launch = new Launch(id, client.getClientId(), request.getQueryString(), links, null, !patientAsked);
            List<String> linked = links.stream().map(LinkedPeople.Link::patientId).filter(p -> p != null).toList();
            if (patientAsked && links.size() == 1 && linked.size() == 1) {
                launch = launch.choose(linked.get(0)); // nobody else to act for: no choice to make
            }
            save(request.getSession(), launch);
        }
        if (!launch.ready()) {
            response.sendRedirect(request.getContextPath() + PICKER + "?launch=" + launch.id());
            return;
        }
        chain.doFilter(request, response);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The launch of an authorization request's query string in this session, if any. */
    static Launch launch(HttpSession session, String query) {
        return session == null || query == null ? null : launches(session).values().stream()
                .filter(l -> l.query().equals(query)).findFirst().orElse(null);
    }

    /** The launch the picker refers to. */
    static Launch byId(HttpSession session, String id) {
        return session == null || id == null ? null : launches(session).get(id);
    }

    /** The name of a person this session's launches offered, if any did. */
    static Optional<String> name(HttpSession session, String patientId) {
        return session == null ? Optional.empty() : launches(session).values().stream()
                .flatMap(l -> l.links().stream()).filter(link -> patientId.equals(link.patientId()))
                .map(LinkedPeople.Link::name).findFirst();
    }

    static void save(HttpSession session, Launch launch) {
        synchronized (session) {
            Map<String, Launch> launches = new LinkedHashMap<>(launches(session));
            launches.put(launch.id(), launch);
            while (launches.size() > MAX_LAUNCHES_PER_SESSION) {
                launches.remove(launches.keySet().iterator().next());
            }
            session.setAttribute(SESSION_KEY, launches);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Launch> launches(HttpSession session) {
        Object launches = session.getAttribute(SESSION_KEY);
        return launches == null ? Map.of() : (Map<String, Launch>) launches;
    }

    /**
     * The authorization endpoint's request converter, wrapped: a client's own {@code izfhir_*}
     * parameters are dropped, and the launch's chosen patient and the account holder's record added.
     */
    static AuthenticationConverter withLaunchContext(AuthenticationConverter converter) {
        return request -> {
            Authentication converted = converter.convert(request);
            if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorization)) {
                return converted;
            }
            Map<String, Object> parameters = new HashMap<>(authorization.getAdditionalParameters());
            parameters.keySet().removeIf(name -> name.startsWith("izfhir_"));
            Launch launch = launch(request.getSession(false), request.getQueryString());
            if (launch != null && launch.clientId().equals(authorization.getClientId())) {
                if (launch.chosen() != null) {
                    parameters.put(PATIENT, launch.chosen());
                    launch.links().stream().filter(l -> launch.chosen().equals(l.patientId()) && l.proxyUntil() != null)
                            .findFirst().ifPresent(l -> parameters.put(PROXY_UNTIL, l.proxyUntil().toString()));
                }
                if (launch.selfId() != null) {
                    parameters.put(FHIR_USER, launch.selfId());
                }
            }
            return new OAuth2AuthorizationCodeRequestAuthenticationToken(authorization.getAuthorizationUri(),
                    authorization.getClientId(), (Authentication) authorization.getPrincipal(),
                    authorization.getRedirectUri(), authorization.getState(), authorization.getScopes(), parameters);
        };
    }

    static List<String> split(String scope) {
        return scope == null ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
    }
}
