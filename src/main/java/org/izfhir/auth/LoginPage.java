package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * The sign-in page: which app is asking (from the authorization request that sent the person
 * here), the form Spring Security reads on {@code POST /login}, and a way back to the app.
 */
final class LoginPage extends HttpServlet {

    static final String PATH = "/login";

    private final transient Pages pages;
    private final transient RegisteredClientRepository clients;

    LoginPage(Pages pages, RegisteredClientRepository clients) {
        this.pages = pages;
        this.clients = clients;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SavedRequest asked = new HttpSessionRequestCache().getRequest(request, response);
        RegisteredClient client = asked == null ? null : clients.findByClientId(first(asked, "client_id"));
        StringBuilder main = new StringBuilder();
        main.append("<h1>Sign in</h1>\n");
        if (client != null) {
            main.append(Pages.app(request, client)).append("<p>").append(htmlEscape(client.getClientName()))
                    .append(" asks to open immunization records. Sign in to ").append(htmlEscape(pages.name()))
                    .append(" to choose whose record, and what it may see.</p>\n");
        }
        if (request.getParameter("error") != null) {
            main.append("<p class=\"alert\" role=\"alert\">That username and password do not match an account."
                    + " Check them and try again.</p>\n");
        } else if (request.getParameter("logout") != null) {
            main.append("<p class=\"info\" role=\"status\">You are signed out.</p>\n");
        }
        main.append("<form method=\"post\" action=\"").append(htmlEscape(request.getContextPath() + PATH)).append("\">\n")
                .append("<label for=\"username\">Username</label>")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\n")
                .append("<label for=\"password\">Password</label>")
                .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\n")
                .append(Pages.csrf(request))
                .append("<div class=\"actions\"><button type=\"submit\">Sign in</button>")
                .append(Pages.cancel(asked == null ? null
                        : AppReturn.denied(client, first(asked, "redirect_uri"), first(asked, "state"))))
                .append("</div>\n</form>\n");
        pages.write(request, response, HttpServletResponse.SC_OK, "Sign in", main.toString(), "'self'");
    }

    private static String first(SavedRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null || values.length != 1 ? null : values[0];
    }
}
