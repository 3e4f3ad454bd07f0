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
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Talks to the server under test: HAPI's FHIR client for FHIR, raw HTTP for what FHIR clients hide. */
public final class FhirTestClient {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FhirTestClient(int port) {
        this.base = "http://localhost:" + port;
    }

    public String fhirBase() {
        return base + "/fhir";
    }

    public IGenericClient fhir() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return FHIR.newRestfulGenericClient(fhirBase());
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        return send(request, headers);
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
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
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
