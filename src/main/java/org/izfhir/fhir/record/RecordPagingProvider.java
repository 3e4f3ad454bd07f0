package org.izfhir.fhir.record;

import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.UUID;

/**
 * Pages of searches: searches of the JPA store are kept in the database as HAPI does; searches of
 * stored records are kept in memory for {@link #KEPT} after their last page was read (a record's
 * search is a few dozen resources; the client asks the same instance, or searches again).
 */
public final class RecordPagingProvider extends DatabaseBackedPagingProvider {

    static final Duration KEPT = Duration.ofMinutes(10);

    private final Cache<String, IBundleProvider> recordSearches =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(KEPT).build();

    @Override
    public String storeResultList(RequestDetails request, IBundleProvider results) {
        if (results instanceof RecordBundle) {
            String id = "record-" + UUID.randomUUID();
            recordSearches.put(id, results);
            return id;
        }
        return super.storeResultList(request, results);
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String id) {
        IBundleProvider kept = recordSearches.getIfPresent(id);
        return kept != null ? kept : id.startsWith("record-") ? null : super.retrieveResultList(request, id);
    }
}
