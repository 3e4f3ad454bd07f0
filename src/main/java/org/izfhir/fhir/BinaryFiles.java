package org.izfhir.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.hl7.fhir.r4.model.Binary;
import org.springframework.stereotype.Component;

/**
 * An operation's file (a Binary: a QR code, a PDF, a health card file) is answered as the file
 * itself, with its own content type, unless the client asked for FHIR by {@code _format}. HAPI
 * alone answers a POST whose body was FHIR in FHIR, whatever the {@code Accept} header asks. Runs
 * last, after the patient boundary and the audit have seen the answer.
 */
@Component
public class BinaryFiles implements FhirInterceptor {

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 2_000)
    public boolean writeFile(RequestDetails request, ResponseDetails response) {
        if (!(response.getResponseResource() instanceof Binary file) || !file.hasContentType()
                || file.getContentType().contains("fhir") || askedForFhir(request)
                || !(request instanceof ServletRequestDetails servlet)) {
            return true;
        }
        HttpServletResponse http = servlet.getServletResponse();
        byte[] data = file.getData() == null ? new byte[0] : file.getData();
        http.setStatus(response.getResponseCode());
        http.setContentType(file.getContentType());
        http.setContentLength(data.length);
        try {
            http.getOutputStream().write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    private static boolean askedForFhir(RequestDetails request) {
        String[] format = request.getParameters().get("_format");
        return format != null && format.length == 1 && (format[0].contains("json") || format[0].contains("xml"));
    }
}
