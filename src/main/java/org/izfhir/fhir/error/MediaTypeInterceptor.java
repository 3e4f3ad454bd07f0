package org.izfhir.fhir.error;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import org.izfhir.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * Answers 415 Unsupported Media Type, as an OperationOutcome, to a request whose body is neither
 * FHIR JSON or XML, a JSON Patch, nor a form (the {@code POST _search} encoding). HAPI alone
 * would answer such a request with a 400 that does not tell the client which formats it accepts.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#mime-type">FHIR R4 HTTP: content types</a>
 */
@Component
@Interceptor
public class MediaTypeInterceptor implements FhirInterceptor {

    static final Set<String> ACCEPTED = Set.of(
            "application/fhir+json", "application/json", "application/json+fhir",
            "application/fhir+xml", "application/xml", "application/xml+fhir", "text/xml",
            "application/json-patch+json", "application/x-www-form-urlencoded");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean checkContentType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || !hasBody(request)) {
            return true;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED.contains(mediaType)) {
            throw new UnsupportedMediaTypeException("Content-Type '" + mediaType + "' is not supported: send "
                    + "application/fhir+json or application/fhir+xml (application/json-patch+json for PATCH, "
                    + "application/x-www-form-urlencoded for POST _search)");
        }
        return true;
    }

    private static boolean hasBody(HttpServletRequest request) {
        String method = request.getMethod();
        boolean writes = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
        return writes && (request.getContentLengthLong() != 0);
    }
}
