package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The patient picker of a standalone launch: whose record the app may see, among the people the
 * signed-in account may act for. Only people linked to a record can be chosen; the others are
 * listed with the reason. The choice is checked against the launch kept in the session, never
 * taken from the form alone.
 */
final class PatientPickerServlet extends HttpServlet {

    private static final String EXPIRED = "<h1>Start again from the app</h1>\n<p>This sign-in has expired."
            + " Go back to the app and open the record again.</p>\n";

    private final transient Pages pages;
    private final transient RegisteredClientRepository clients;
    private final String authorizationEndpoint;

    PatientPickerServlet(Pages pages, RegisteredClientRepository clients, String authorizationEndpoint) {
        this.pages = pages;
        this.clients = clients;
        this.authorizationEndpoint = authorizationEndpoint;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PatientLaunch.Launch launch = PatientLaunch.byId(request.getSession(false), request.getParameter("launch"));
        RegisteredClient client = launch == null ? null : clients.findByClientId(launch.clientId());
        if (client == null) {
            pages.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Start again", EXPIRED, "'self'");
            return;
        }
        StringBuilder main = new StringBuilder();
        main.append("<h1>Whose immunization record should ").append(htmlEscape(client.getClientName()))
                .append(" see?</h1>\n").append(Pages.app(request, client))
                .append("<form method=\"post\" action=\"").append(htmlEscape(request.getContextPath() + PatientLaunch.PICKER))
                .append("\">\n<input type=\"hidden\" name=\"launch\" value=\"").append(htmlEscape(launch.id())).append("\">\n")
                .append(Pages.csrf(request));
        List<LinkedPeople.Link> linked = launch.links().stream().filter(l -> l.patientId() != null).toList();
        // with a choice to make, nobody is chosen for the parent: the browser asks for one (required)
        if (!linked.isEmpty()) {
            main.append("<fieldset><legend>Choose one person</legend>\n");
            for (LinkedPeople.Link link : linked) {
                main.append("<label class=\"choice\"><input type=\"radio\" name=\"patient\" value=\"")
                        .append(htmlEscape(link.patientId())).append("\" required").append(linked.size() == 1 ? " checked" : "")
                        .append("> ").append(htmlEscape(link.label())).append(link.self() ? " (you)" : "").append("</label>\n");
            }
            main.append("</fieldset>\n");
        } else {
            main.append("<p class=\"alert\" role=\"alert\">No registry record could be found for anyone on this account.</p>\n");
        }
        List<LinkedPeople.Link> missing = launch.links().stream().filter(l -> l.patientId() == null).toList();
        if (!missing.isEmpty()) {
            main.append("<h2>Not listed</h2>\n<ul class=\"missing\">\n");
            missing.forEach(link -> main.append("<li>").append(htmlEscape(link.label())).append(link.self() ? " (you)" : "").append(": ")
                    .append(htmlEscape(link.problem())).append("</li>\n"));
            main.append("</ul>\n");
        }
        main.append("<p class=\"note\">Someone missing? Their details on this account may need completing, they may"
                        + " have reached the age when they decide who sees their record, or a registry may keep their"
                        + " record protected: registries share protected records with nobody.</p>\n")
                .append("<div class=\"actions\">").append(linked.isEmpty() ? "" : "<button type=\"submit\">Continue</button>")
                .append(Pages.cancel(AppReturn.denied(client, launch.parameter("redirect_uri"), launch.parameter("state"))))
                .append("</div>\n</form>\n");
        pages.write(request, response, HttpServletResponse.SC_OK, "Choose a person", main.toString(), AppReturn.formAction(client));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PatientLaunch.Launch launch = PatientLaunch.byId(request.getSession(false), request.getParameter("launch"));
        String chosen = request.getParameter("patient");
        if (launch == null) {
            pages.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Start again", EXPIRED, "'self'");
            return;
        }
        boolean allowed = chosen != null && launch.links().stream().anyMatch(l -> chosen.equals(l.patientId()));
        if (!allowed) {
            pages.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Choose a person",
                    "<h1>Choose a person</h1>\n<p class=\"alert\" role=\"alert\">Choose one of the people listed.</p>\n"
                            + "<p><a href=\"" + htmlEscape(request.getContextPath() + PatientLaunch.PICKER + "?launch="
                            + launch.id()) + "\">Back to the list</a></p>\n", "'self'");
            return;
        }
        PatientLaunch.save(request.getSession(), launch.choose(chosen));
        response.sendRedirect(request.getContextPath() + authorizationEndpoint + "?" + launch.query());
    }
}
