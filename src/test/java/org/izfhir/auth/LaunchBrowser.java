package org.izfhir.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser for the standalone launch, as a person meets it: it follows redirects itself (so that
 * the test sees each step), keeps cookies, reads the sign-in, picker and consent pages' forms and
 * posts them back. One instance is one browser session.
 */
final class LaunchBrowser {

    static final String APP = "demo-consumer-app";
    static final String REDIRECT = "http://127.0.0.1:41789/callback"; // a loopback address: any port
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INPUT = Pattern.compile("<input([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    final String base;
    final String verifier;
    private final HttpClient http;

    LaunchBrowser(int port) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The authorization request of the demo app, with these parameters changed (null removes one). */
    String authorizeUrl(String scope, String... overrides) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", APP);
        parameters.put("redirect_uri", REDIRECT);
        parameters.put("scope", scope);
        parameters.put("state", "s-" + verifier.substring(0, 8));
        parameters.put("aud", base + "/fhir");
        parameters.put("code_challenge", challenge(verifier));
        parameters.put("code_challenge_method", "S256");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            parameters.put(overrides[i], overrides[i + 1]);
        }
        return base + "/oauth2/authorize?" + form(parameters);
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url.startsWith("/") ? base + url : url)).GET()
                .header("Accept", "text/html"));
    }

    HttpResponse<String> post(String url, Map<String, ?> fields) {
        return send(HttpRequest.newBuilder(URI.create(url.startsWith("/") ? base + url : url))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    /** Follows redirects within the server; stops at the app's redirect URI (returns its URL as the body) or at a page. */
    HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 10 && current.statusCode() / 100 == 3; hops++) {
            String location = current.headers().firstValue("Location").orElseThrow();
            if (location.startsWith(REDIRECT)) {
                return current;
            }
            current = get(location);
        }
        return current;
    }

    /** Signs in on the sign-in page the server sent the browser to. */
    HttpResponse<String> signIn(HttpResponse<String> loginPage, String username, String password) {
        Map<String, Object> fields = new LinkedHashMap<>(hiddenFields(loginPage.body()));
        fields.put("username", username);
        fields.put("password", password);
        return follow(post("/login", fields));
    }

    /** The picker's choices: Patient id to label. */
    static Map<String, String> choices(String pickerPage) {
        Map<String, String> choices = new LinkedHashMap<>();
        Matcher m = Pattern.compile("name=\"patient\" value=\"([^\"]+)\"[^>]*> ([^<]+)</label>").matcher(pickerPage);
        while (m.find()) {
            choices.put(m.group(1), m.group(2));
        }
        return choices;
    }

    HttpResponse<String> pick(HttpResponse<String> pickerPage, String patientId) {
        Map<String, Object> fields = new LinkedHashMap<>(hiddenFields(pickerPage.body()));
        fields.put("patient", patientId);
        return follow(post("/launch/patient", fields));
    }

    /** Consents on the consent page, to these scopes (each offered one the user keeps). */
    HttpResponse<String> consent(HttpResponse<String> consentPage, List<String> scopes) {
        Map<String, Object> fields = new LinkedHashMap<>(hiddenFields(consentPage.body()));
        fields.put("scope", scopes);
        return follow(post("/oauth2/authorize", fields));
    }

    /** The scopes the consent page asks the user about. */
    static List<String> offeredScopes(String consentPage) {
        List<String> scopes = new ArrayList<>();
        Matcher m = INPUT.matcher(consentPage);
        while (m.find()) {
            Map<String, String> attributes = attributes(m.group(1));
            if ("scope".equals(attributes.get("name"))) {
                scopes.add(attributes.get("value"));
            }
        }
        return scopes;
    }

    /** A query parameter of the redirect to the app. */
    static String redirectParameter(HttpResponse<String> redirect, String name) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    HttpResponse<String> token(Map<String, String> fields) {
        return send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    HttpResponse<String> exchange(String code) {
        return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", APP, "code_verifier", verifier));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    /** The claims of a JWT, unverified (the test reads what the server put in). */
    static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = INPUT.matcher(page);
        while (m.find()) {
            Map<String, String> attributes = attributes(m.group(1));
            if ("hidden".equals(attributes.get("type")) && attributes.containsKey("name")) {
                fields.put(attributes.get("name"), attributes.getOrDefault("value", ""));
            }
        }
        return fields;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            attributes.put(m.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(2)));
        }
        return attributes;
    }

    private static String form(Map<String, ?> fields) {
        StringBuilder form = new StringBuilder();
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            if (field.getValue() == null) {
                continue;
            }
            List<?> values = field.getValue() instanceof List<?> list ? list : List.of(field.getValue());
            for (Object value : values) {
                form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        }
        return form.toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
