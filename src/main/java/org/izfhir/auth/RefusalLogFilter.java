package org.izfhir.auth;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps HAPI's interceptor service from logging an ERROR for every request refused by scope: it
 * logs whatever an interceptor throws, and a refusal is the client's error, answered with a 403,
 * not the server's.
 */
final class RefusalLogFilter extends TurboFilter {

    static final String INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";
    private static final String REFUSAL = ForbiddenOperationException.class.getName();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || !INTERCEPTOR_SERVICE.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        if (t instanceof ForbiddenOperationException) {
            return FilterReply.DENY;
        }
        if (params != null) {
            for (Object param : params) {
                if (param instanceof ForbiddenOperationException
                        || param instanceof String text && text.startsWith(REFUSAL)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
