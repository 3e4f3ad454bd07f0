package org.izfhir.fhir.error;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.izfhir.fhir.FhirInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One log line per error the FHIR API answers, without the client's values: the status, the
 * interaction, the resource type and the kind of error. A client's error (4xx) is that line, at
 * INFO, with no stack trace; a fault of the server (5xx) is logged at ERROR with its stack trace,
 * still without the request's parameters. HAPI's own logging of these is kept out by
 * {@link HapiErrorLogFilter}.
 */
@Component
public class ErrorLog implements FhirInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorLog.class);

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean answered(RequestDetails request, BaseServerResponseException exception) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        // the resource type only once HAPI resolved the request: before, it is the client's text
        String what = operation == null ? "unresolved request"
                : operation.getCode() + " " + (request.getResourceName() == null ? "-" : request.getResourceName());
        int status = exception.getStatusCode();
        if (status < 500) {
            log.info("{} {}: {}", status, what, exception.getClass().getSimpleName());
        } else {
            Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
            log.error("{} {}: {}", status, what, exception.getClass().getSimpleName(), cause);
        }
        return true;
    }
}
