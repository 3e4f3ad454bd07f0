package org.izfhir.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The way back to an app when the person declines ({@code access_denied}, RFC 6749 4.1.2.1): only
 * to a redirect URI the app registered, matched as the authorization server matches it (exactly, or
 * a loopback IP address on any port, RFC 8252 7.3); otherwise there is no way back, and the page
 * offers none.
 */
final class AppReturn {

    private AppReturn() {
    }

    /** The app's redirect URI with {@code error=access_denied} and its state, or null. */
    static String denied(RegisteredClient client, String redirectUri, String state) {
        if (client == null) {
            return null;
        }
        String target = redirectUri;
        if (target == null || target.isEmpty()) {
            Set<String> registered = client.getRedirectUris();
            target = registered.size() == 1 ? registered.iterator().next() : null;
        }
        if (target == null || !registered(client, target)) {
            return null;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(target).queryParam("error", "access_denied");
        if (state != null && !state.isEmpty()) {
            uri.queryParam("state", state);
        }
        return uri.encode().build().toUriString();
    }

    /**
     * Where a page's form may lead ({@code form-action}): here, and on through the authorization
     * endpoint to the app's registered redirect URIs (a returning user's consent is on record, so
     * the form's redirects end at the app). A loopback registration admits any port, as above.
     */
    static String formAction(RegisteredClient client) {
        Set<String> sources = new LinkedHashSet<>(List.of("'self'"));
        for (String each : client.getRedirectUris()) {
            URI uri = parse(each);
            if (uri != null && uri.getScheme() != null && uri.getHost() != null) {
                sources.add(uri.getScheme() + "://" + uri.getHost()
                        + (loopback(uri.getHost()) ? ":*" : uri.getPort() > 0 ? ":" + uri.getPort() : ""));
            }
        }
        return String.join(" ", sources);
    }

    static boolean registered(RegisteredClient client, String redirectUri) {
        if (client.getRedirectUris().contains(redirectUri)) {
            return true;
        }
        URI asked = parse(redirectUri);
        if (asked == null || !loopback(asked.getHost())) {
            return false;
        }
        for (String each : client.getRedirectUris()) {
            URI registered = parse(each);
            if (registered != null && loopback(registered.getHost()) && same(asked.getScheme(), registered.getScheme())
                    && same(asked.getHost(), registered.getHost()) && same(asked.getPath(), registered.getPath())
                    && same(asked.getQuery(), registered.getQuery())) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopback(String host) {
        return "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static URI parse(String uri) {
        try {
            return new URI(uri);
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
    }
}
