package org.izfhir.auth;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * What the server answers for an error outside the FHIR API's own handling (an authorization
 * request that cannot go back to its app, a URL the web server refuses): to a person's browser, a
 * page that says in words what went wrong and what to tell the app's maker; to the FHIR API's
 * clients, an OperationOutcome; to OAuth clients, the OAuth 2 JSON error; never a stack trace,
 * the container's page or the request's values.
 */
@Controller
public class ErrorPages implements ErrorController {

    private final Pages pages;

    ErrorPages(Pages pages) {
        this.pages = pages;
    }

    @RequestMapping("${server.error.path:/error}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code
                : response.getStatus() >= 400 ? response.getStatus() : 500;
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri ? uri : "";
        String cause = request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String message ? message : "";
        String accept = request.getHeader("Accept") == null ? "" : request.getHeader("Accept");
        if (path.startsWith("/fhir")) {
            response.setStatus(status);
            FhirAuthErrors.write(response, status == 404 ? "not-found" : "invalid",
                    reason(status) + ": the request's address could not be read");
        } else if (accept.contains("text/html")) {
            pages.write(request, response, status, "Something went wrong", "<h1>Something went wrong</h1>\n<p>"
                    + htmlEscape(explanation(status, cause, pages.name())) + "</p>\n<p class=\"note\">Error "
                    + htmlEscape(reason(status)) + "</p>\n", "'self'");
        } else {
            OAuthJsonErrors.write(response, status, oauthError(status, cause), reason(status));
        }
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return status + (known == null ? "" : " " + known.getReasonPhrase());
    }

    /** The OAuth error code Spring Authorization Server gave (its message starts with it in brackets), or one for the status. */
    private static String oauthError(int status, String cause) {
        if (cause.startsWith("[") && cause.indexOf(']') > 1) {
            return cause.substring(1, cause.indexOf(']'));
        }
        return status == 401 ? "invalid_client" : status == 403 ? "access_denied" : status >= 500 ? "server_error"
                : "invalid_request";
    }

    /** In words, for a person: what went wrong, and what to tell whom. */
    static String explanation(int status, String cause, String product) {
        String lower = cause.toLowerCase(Locale.ROOT);
        if (lower.contains("redirect_uri")) {
            return "This app's address is not registered with " + product + ", so your records cannot be sent back"
                    + " to it. Tell the app's maker: \"the redirect address is not registered\".";
        }
        if (lower.contains("client_id")) {
            return "This app is not registered with " + product + ". Tell the app's maker: \"the client id is not"
                    + " registered\".";
        }
        if (status == 404) {
            return "There is no page at this address.";
        }
        if (status < 500) {
            return "The app asked for something this server cannot do. Go back to the app and start again; if it"
                    + " happens again, tell the app's maker.";
        }
        return "Something went wrong on our side. Please try again later.";
    }
}
