package org.izfhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Talks to the server under test: HAPI's FHIR client for FHIR, raw HTTP for what FHIR clients
 * hide. Requests carry an access token of the test backend service {@code test-admin} (every
 * system scope), unless they bring their own {@code Authorization} header or the client is
 * {@link #anonymous()}.
 */
public final class FhirTestClient {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final String base;
    private final boolean withToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FhirTestClient(int port) {
        this("http://localhost:" + port, true);
    }

    private FhirTestClient(String base, boolean withToken) {
        this.base = base;
        this.withToken = withToken;
    }

    /** The same server, without a token. */
    public FhirTestClient anonymous() {
        return new FhirTestClient(base, false);
    }

    /** A token from the token endpoint: client_credentials with a client secret. */
    public HttpResponse<String> token(String clientId, String secret, String scope) {
        String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + java.net.URLEncoder.encode(scope, java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic), false);
    }

    /** The access token of a successful token response. */
    public static String accessToken(HttpResponse<String> tokenResponse) {
        if (tokenResponse.statusCode() != 200) {
            throw new IllegalStateException("no token: " + tokenResponse.statusCode() + " " + tokenResponse.body());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(tokenResponse.body());
        if (!m.find()) {
            throw new IllegalStateException("no access_token in " + tokenResponse.body());
        }
        return m.group(1);
    }

    /** The test backend service's token, fetched once per server (it lives 5 minutes; the suite is shorter). */
    public String adminToken() {
        return TOKENS.computeIfAbsent(base, b -> accessToken(token("test-admin", "test-admin-secret", "system/*.cruds")));
    }

    /** A token of one of the test backend services (its secret is its id + "-secret") with some of its scopes, fetched once. */
    public String tokenFor(String client, String scopes) {
        return TOKENS.computeIfAbsent(base + " " + client + " " + scopes,
                b -> accessToken(token(client, client + "-secret", scopes)));
    }

    public String fhirBase() {
        return base + "/fhir";
    }

    public IGenericClient fhir() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase());
        if (withToken) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(adminToken()));
        }
        return client;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        return send(request, headers);
    }

    public HttpResponse<String> put(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        return send(request, headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    public <T extends IBaseResource> T parse(HttpResponse<String> response, Class<T> type) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        var parser = contentType.contains("xml") ? FHIR.newXmlParser() : FHIR.newJsonParser();
        return parser.parseResource(type, response.body());
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("/") ? base + path : fhirBase() + "/" + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        boolean ownAuthorization = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        return send(request, withToken && !ownAuthorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean addToken) {
        if (addToken) {
            request.header("Authorization", "Bearer " + adminToken());
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
