package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The look of the pages people see when an app asks for their records (sign-in, the patient
 * picker, consent, errors): one layout with the deployment's name, logo, colour and help link
 * ({@link PageProperties}), and the stylesheet and icon they use, served from here. Nothing is
 * loaded from another origin, and no script runs: the Content-Security-Policy says so.
 */
final class Pages extends HttpServlet {

    static final String ASSETS = "/pages/*";

    /** An app's registration settings shown on the pages: its logo (a path on this server) and web site. */
    static final String APP_LOGO = "izfhir.logo", APP_WEBSITE = "izfhir.website";

    private final transient PageProperties properties;
    private final byte[] stylesheet;
    private final byte[] icon;

    Pages(PageProperties properties) {
        this.properties = properties;
        this.stylesheet = (":root { --accent: " + properties.accent() + "; }\n" + resource("pages.css"))
                .getBytes(StandardCharsets.UTF_8);
        this.icon = resource("icon.svg").getBytes(StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the pages' " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stylesheet and the icon. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getPathInfo() == null ? "" : request.getPathInfo();
        byte[] body = name.equals("/style.css") ? stylesheet : name.equals("/icon.svg") ? icon : null;
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(name.endsWith(".css") ? "text/css;charset=UTF-8" : "image/svg+xml");
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * A page: {@code main} is HTML already escaped. {@code formAction} lists where its forms may
     * lead ({@code 'self'}, and the app's redirect URIs when a form's answer goes on to the app).
     */
    void write(HttpServletRequest request, HttpServletResponse response, int status, String title, String main,
               String formAction) throws IOException {
        String root = request.getContextPath();
        StringBuilder page = new StringBuilder(2048)
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(htmlEscape(title)).append(" - ").append(htmlEscape(properties.name())).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"").append(root).append("/pages/style.css\">")
                .append("<link rel=\"icon\" type=\"image/svg+xml\" href=\"").append(root).append("/pages/icon.svg\">")
                .append("</head>\n<body>\n<header class=\"site\">");
        if (!properties.logo().isEmpty()) {
            page.append("<img src=\"").append(htmlEscape(root + properties.logo())).append("\" alt=\"\" height=\"32\">");
        }
        page.append("<span class=\"site-name\">").append(htmlEscape(properties.name())).append("</span></header>\n")
                .append("<main>\n").append(main).append("</main>\n");
        if (!properties.helpUrl().isEmpty()) {
            page.append("<footer><a href=\"").append(htmlEscape(properties.helpUrl())).append("\">")
                    .append(htmlEscape(properties.helpText())).append("</a></footer>\n");
        }
        page.append("</body></html>\n");
        byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none';"
                + " base-uri 'none'; frame-ancestors 'none'; form-action " + formAction);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The name people know the service by. */
    String name() {
        return properties.name();
    }

    /** Who is asking: the app's registered name, logo and web site, as a block of HTML. */
    static String app(HttpServletRequest request, RegisteredClient client) {
        StringBuilder html = new StringBuilder("<div class=\"app\">");
        Object logo = client.getClientSettings().getSetting(APP_LOGO);
        if (logo instanceof String path && !path.isEmpty()) {
            html.append("<img src=\"").append(htmlEscape(request.getContextPath() + path)).append("\" alt=\"\" width=\"48\" height=\"48\">");
        }
        html.append("<div><strong>").append(htmlEscape(client.getClientName())).append("</strong>");
        if (client.getClientSettings().getSetting(APP_WEBSITE) instanceof String site && !site.isEmpty()) {
            html.append("<br><a href=\"").append(htmlEscape(site)).append("\">").append(htmlEscape(site)).append("</a>");
        }
        return html.append("</div></div>\n").toString();
    }

    /** The hidden CSRF field of a form posted to this server's pages. */
    static String csrf(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return csrf == null ? "" : "<input type=\"hidden\" name=\"" + htmlEscape(csrf.getParameterName()) + "\" value=\""
                + htmlEscape(csrf.getToken()) + "\">\n";
    }

    /** A link back to the app that tells it the person said no, or nothing when there is no safe way back. */
    static String cancel(String url) {
        return url == null ? "" : "<a class=\"button secondary\" href=\"" + htmlEscape(url) + "\">Cancel</a>";
    }
}
