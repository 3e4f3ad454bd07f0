package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.izfhir.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * Binds the pages of a search to whoever searched: the page id in a searchset's links
 * ({@code _getpages}) answers only to a token of the same client, subject and patient context;
 * to anyone else it is a 404, as if it did not exist. Bindings are kept in this instance's memory
 * as long as HAPI keeps its searches' pages ({@link #KEPT}); a page asked of another instance is
 * not found there, as a record search's pages are not.
 */
@Component
public class PageBinding implements FhirInterceptor {

    static final Duration KEPT = Duration.ofHours(1);

    private final Cache<String, String> owners = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(KEPT).build();

    /** Before a page is read: only its searcher may. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkPage(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.GET_PAGE) {
            return;
        }
        String[] ids = request.getParameters().get(Constants.PARAM_PAGINGACTION);
        String owner = ids == null || ids.length != 1 ? null : owners.getIfPresent(ids[0]);
        if (owner == null || !owner.equals(Caller.current().map(Caller::key).orElse(null))) {
            throw new ResourceNotFoundException("This search page does not exist, or has expired: search again");
        }
    }

    /** After a searchset is made: its pages are its searcher's. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void bindPages(ResponseDetails response) {
        if (!(response.getResponseResource() instanceof Bundle bundle) || !bundle.hasLink()) {
            return;
        }
        String caller = Caller.current().map(Caller::key).orElse(null);
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            String id = pageId(link.getUrl());
            if (id != null && caller != null) {
                owners.asMap().putIfAbsent(id, caller);
            }
        }
    }

    /** The {@code _getpages} of a page link, or null (also for a link that is not a URI). */
    static String pageId(String url) {
        String query;
        try {
            query = url == null ? null : URI.create(url).getRawQuery();
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith(Constants.PARAM_PAGINGACTION + "=")) {
                return URLDecoder.decode(parameter.substring(Constants.PARAM_PAGINGACTION.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
