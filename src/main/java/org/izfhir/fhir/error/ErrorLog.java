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
 * INFO, with no stack trace; a fault of the server (5xx) is logged at ERROR with its stack trace:
 * the exceptions' classes and frames, without their messages, which may quote a client's values
 * (with this logger at DEBUG, the debug switch, the messages are kept). The resource type is named
 * only once HAPI resolved the request: before, it is the client's text. HAPI's own logging of
 * these errors is kept out by {@link HapiErrorLogFilter}.
 */
@Component
public class ErrorLog implements FhirInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorLog.class);

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean answered(RequestDetails request, BaseServerResponseException exception) {
        // what the request was, as HAPI resolved it (an interaction and a served type): never the client's text
        RestOperationTypeEnum operation = request.getRestOperationType();
        String what = operation == null ? "unresolved request"
                : operation.getCode() + " " + (request.getResourceName() == null ? "-" : request.getResourceName());
        int status = exception.getStatusCode();
        if (status < 500) {
            log.info("{} {}: {}", status, what, exception.getClass().getSimpleName());
        } else {
            Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
            log.error("{} {}: {}", status, what, exception.getClass().getSimpleName(),
                    log.isDebugEnabled() ? cause : withoutMessages(cause, 0));
        }
        return true;
    }

    /** The same chain of exceptions, by class and stack frames, without their messages. */
    static Throwable withoutMessages(Throwable throwable, int depth) {
        Throwable cause = throwable.getCause();
        Throwable copy = new WithoutMessage(throwable.getClass().getName(),
                cause == null || cause == throwable || depth > 20 ? null : withoutMessages(cause, depth + 1));
        copy.setStackTrace(throwable.getStackTrace());
        return copy;
    }

    /** An exception of the named class whose message was left out of the log. */
    static final class WithoutMessage extends Throwable {
        WithoutMessage(String type, Throwable cause) {
            super(type, cause, false, true);
        }
    }
}
