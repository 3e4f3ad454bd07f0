package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The patient picker of a standalone launch: whose record the app may see, among the people the
 * signed-in account may act for. Only people linked to a record can be chosen; the others are
 * listed with the reason. The choice is checked against the launch kept in the session, never
 * taken from the form alone.
 */
final class PatientPickerServlet extends HttpServlet {

    private static final String EXPIRED = "<p>This sign-in has expired. Start again from the app.</p>";

    private final transient RegisteredClientRepository clients;
    private final String authorizationEndpoint;

    PatientPickerServlet(RegisteredClientRepository clients, String authorizationEndpoint) {
        this.clients = clients;
        this.authorizationEndpoint = authorizationEndpoint;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PatientLaunch.Launch launch = PatientLaunch.byId(request.getSession(false), request.getParameter("launch"));
        if (launch == null) {
            page(response, HttpServletResponse.SC_NOT_FOUND, EXPIRED);
            return;
        }
        RegisteredClient client = clients.findByClientId(launch.clientId());
        String app = htmlEscape(client == null ? launch.clientId() : client.getClientName());
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        StringBuilder body = new StringBuilder();
        body.append("<h1>Whose immunization record may ").append(app).append(" see?</h1>\n");
        body.append("<form method=\"post\" action=\"").append(htmlEscape(request.getContextPath() + PatientLaunch.PICKER))
                .append("\">\n<input type=\"hidden\" name=\"launch\" value=\"").append(htmlEscape(launch.id())).append("\">\n");
        if (csrf != null) {
            body.append("<input type=\"hidden\" name=\"").append(htmlEscape(csrf.getParameterName())).append("\" value=\"")
                    .append(htmlEscape(csrf.getToken())).append("\">\n");
        }
        boolean any = false;
        // with a choice to make, nobody is chosen for the parent: the browser asks for one (required)
        boolean only = launch.links().stream().filter(l -> l.patientId() != null).count() == 1;
        for (LinkedPeople.Link link : launch.links()) {
            String who = htmlEscape(link.label()) + (link.self() ? " (you)" : "");
            if (link.patientId() == null) {
                body.append("<p class=\"unlinked\">").append(who).append(": ").append(htmlEscape(link.problem())).append("</p>\n");
            } else {
                body.append("<p><label><input type=\"radio\" name=\"patient\" value=\"")
                        .append(htmlEscape(link.patientId())).append("\" required").append(only ? " checked" : "").append("> ")
                        .append(who).append("</label></p>\n");
                any = true;
            }
        }
        body.append(any ? "<button type=\"submit\">Continue</button>\n"
                : "<p>No record could be found for anyone on this account.</p>\n");
        body.append("</form>\n");
        page(response, HttpServletResponse.SC_OK, body.toString(), formAction(client));
    }

    /**
     * Where the picker's form may lead: here, and on through the authorization endpoint to the app's
     * registered redirect URIs (a returning user's consent is on record, so the form's redirects end
     * at the app). Only registered URIs, never one from the request; a loopback registration admits
     * any port, as the authorization server does.
     */
    static String formAction(RegisteredClient client) {
        java.util.Set<String> sources = new java.util.LinkedHashSet<>(java.util.List.of("'self'"));
        for (String registered : client == null ? java.util.Set.<String>of() : client.getRedirectUris()) {
            java.net.URI uri = java.net.URI.create(registered);
            if (uri.getScheme() == null || uri.getHost() == null) {
                continue;
            }
            boolean loopback = uri.getHost().equals("127.0.0.1") || uri.getHost().equals("[::1]")
                    || uri.getHost().equals("localhost");
            sources.add(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : loopback ? ":*" : ""));
        }
        return String.join(" ", sources);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PatientLaunch.Launch launch = PatientLaunch.byId(request.getSession(false), request.getParameter("launch"));
        String chosen = request.getParameter("patient");
        if (launch == null) {
            page(response, HttpServletResponse.SC_NOT_FOUND, EXPIRED);
            return;
        }
        boolean allowed = chosen != null && launch.links().stream().anyMatch(l -> chosen.equals(l.patientId()));
        if (!allowed) {
            page(response, HttpServletResponse.SC_BAD_REQUEST, "<p>Choose one of the people listed.</p>");
            return;
        }
        PatientLaunch.save(request.getSession(), launch.choose(chosen));
        response.sendRedirect(request.getContextPath() + authorizationEndpoint + "?" + launch.query());
    }

    private static void page(HttpServletResponse response, int status, String body) throws IOException {
        page(response, status, body, "'self'");
    }

    private static void page(HttpServletResponse response, int status, String body, String formAction) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; form-action " + formAction);
        PrintWriter out = response.getWriter();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Choose a person</title></head><body>\n").append(body).append("</body></html>\n");
    }
}
