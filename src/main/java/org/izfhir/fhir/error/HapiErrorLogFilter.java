package org.izfhir.fhir.error;

import ca.uhn.fhir.interceptor.executor.BaseInterceptorService;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps HAPI's own logging of the FHIR API's answered errors out of the log: its exception
 * handler logs each one with the exception's text, which quotes the client's values, and its
 * interceptor service logs a stack trace for each refusal a hook throws. {@link ErrorLog} logs
 * every answered error instead, in one line without values (with the stack trace of a server
 * fault). Installed by {@code logback-spring.xml}.
 */
public final class HapiErrorLogFilter extends TurboFilter {

    private static final String EXCEPTION_HANDLER = ExceptionHandlingInterceptor.class.getName();
    private static final String INTERCEPTOR_SERVICE = BaseInterceptorService.class.getName();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (!level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (EXCEPTION_HANDLER.equals(name)) {
            return FilterReply.DENY; // it logs nothing but the errors ErrorLog logs
        }
        if (INTERCEPTOR_SERVICE.equals(name) && (t instanceof BaseServerResponseException || hasRefusal(params))) {
            return FilterReply.DENY; // a hook's refusal, answered as such
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean hasRefusal(Object[] params) {
        if (params != null) {
            for (Object param : params) {
                if (param instanceof BaseServerResponseException) {
                    return true;
                }
            }
        }
        return false;
    }
}
