package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The consent page, where the authorization server sends the person with its {@code state}: which
 * app asks, whose record, what it may see in words, and for how long. What the app needs is shown
 * as granted; what it may do without ({@code offline_access}) can be declined; Cancel tells the app
 * {@code access_denied}. Everything shown comes from the pending authorization the server stored,
 * never from the page's own parameters.
 */
final class ConsentPage extends HttpServlet {

    static final String PATH = "/oauth2/consent";
    private static final Set<String> OPTIONAL = Set.of("offline_access");

    private final transient Pages pages;
    private final transient RegisteredClientRepository clients;
    private final transient OAuth2AuthorizationService authorizations;
    private final transient AuthProperties lifetimes;
    private final String authorizationEndpoint;

    ConsentPage(Pages pages, RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
                AuthProperties lifetimes, String authorizationEndpoint) {
        this.pages = pages;
        this.clients = clients;
        this.authorizations = authorizations;
        this.lifetimes = lifetimes;
        this.authorizationEndpoint = authorizationEndpoint;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        OAuth2Authorization pending = state == null ? null
                : authorizations.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE));
        OAuth2AuthorizationRequest asked = pending == null ? null
                : pending.getAttribute(OAuth2AuthorizationRequest.class.getName());
        RegisteredClient client = pending == null ? null : clients.findById(pending.getRegisteredClientId());
        if (asked == null || client == null || !pending.getPrincipalName().equals(request.getRemoteUser())) {
            pages.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Start again",
                    "<h1>Start again from the app</h1>\n<p>This request has expired or was already answered."
                            + " Go back to the app and open the record again.</p>\n", "'self'");
            return;
        }
        Object patient = asked.getAdditionalParameters().get(PatientLaunch.PATIENT);
        String whose = patient == null ? "your" : PatientLaunch.name(request.getSession(false), patient.toString())
                .map(name -> name + "'s").orElse("the chosen person's");
        Set<String> scopes = new TreeSet<>(asked.getScopes());
        StringBuilder main = new StringBuilder();
        main.append("<h1>Allow ").append(htmlEscape(client.getClientName())).append(" to see ").append(htmlEscape(whose))
                .append(" immunization record?</h1>\n").append(Pages.app(request, client))
                .append("<form method=\"post\" action=\"").append(htmlEscape(request.getContextPath() + authorizationEndpoint))
                .append("\">\n<input type=\"hidden\" name=\"client_id\" value=\"").append(htmlEscape(client.getClientId()))
                .append("\">\n<input type=\"hidden\" name=\"state\" value=\"").append(htmlEscape(state)).append("\">\n")
                .append("<h2>It will see</h2>\n<ul class=\"grants\">\n");
        Set<String> words = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (!OPTIONAL.contains(scope)) {
                main.append("<input type=\"hidden\" name=\"scope\" value=\"").append(htmlEscape(scope)).append("\">\n");
                String said = words(scope);
                if (said != null) {
                    words.add(said);
                }
            }
        }
        words.forEach(w -> main.append("<li>").append(htmlEscape(w)).append("</li>\n"));
        main.append("</ul>\n<h2>For how long</h2>\n<p>For ").append(htmlEscape(spoken(lifetimes.userTokenTtl())))
                .append(" at a time, while you use the app.</p>\n");
        if (scopes.contains("offline_access")) {
            main.append("<label class=\"choice\"><input type=\"checkbox\" name=\"scope\" value=\"offline_access\" checked>")
                    .append("Keep access for ").append(htmlEscape(spoken(lifetimes.refreshTokenTtl())))
                    .append(", also when I am not using the app</label>\n");
        }
        boolean writes = SmartScopes.of(scopes).scopes().stream().anyMatch(ConsentPage::writes);
        main.append("<p class=\"note\">").append(writes ? "" : "The app cannot change the record. ")
                .append("You can stop its access at any time by signing out of the app.</p>\n")
                .append("<div class=\"actions\"><button type=\"submit\">Allow</button>")
                .append(Pages.cancel(AppReturn.denied(client, asked.getRedirectUri(), asked.getState())))
                .append("</div>\n</form>\n");
        pages.write(request, response, HttpServletResponse.SC_OK, "Allow access", main.toString(),
                AppReturn.formAction(client));
    }

    /** What a scope lets an app see, in words; null for those the page says otherwise (whose record, how long). */
    static String words(String scope) {
        return switch (scope) {
            case "openid", "fhirUser" -> "Who is signed in: your name and your own record";
            case "launch/patient", "online_access", "offline_access" -> null;
            default -> SmartScopes.parse(scope).map(parsed -> (writes(parsed) ? "Add and change: " : "") + switch (parsed.type()) {
                case "*" -> "The whole immunization record: vaccinations, forecasts, personal details and which"
                        + " registry each came from";
                case "Patient" -> "Name, date of birth and contact details in the record";
                case "Immunization" -> "Vaccinations given";
                case "ImmunizationRecommendation" -> "Which vaccines are due or overdue (the forecast)";
                case "ImmunizationEvaluation" -> "Whether each vaccination counts toward the schedule";
                case "Provenance" -> "Which registry each vaccination came from";
                default -> "Records of type " + parsed.type();
            }).orElse("Access named \"" + scope + "\"");
        };
    }

    private static boolean writes(SmartScopes.Scope scope) {
        return scope.permissions().contains(SmartScopes.Permission.CREATE)
                || scope.permissions().contains(SmartScopes.Permission.UPDATE)
                || scope.permissions().contains(SmartScopes.Permission.DELETE);
    }

    /** A lifetime in words: "30 days", "1 hour", "15 minutes". */
    static String spoken(Duration duration) {
        if (duration.toDays() >= 1 && duration.toHours() % 24 == 0) {
            return plural(duration.toDays(), "day");
        }
        return duration.toMinutes() % 60 == 0 ? plural(duration.toHours(), "hour") : plural(duration.toMinutes(), "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
