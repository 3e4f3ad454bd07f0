package org.izfhir.fhir.record;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.method.ResponsePage;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.fhir.PreEncodedJson;

/**
 * The result of a search of stored records: the matches, paged, each page with the resources its
 * matches include ({@code _include}, {@code _revinclude}). Served resources are copies, so that
 * the stored record is never changed by serving it, marked with their original so that a plain
 * JSON searchset writes each from the original's encoded text ({@link PreEncodedJson}).
 */
final class RecordBundle implements IBundleProvider {

    private final List<Resource> matches;
    private final Function<List<Resource>, List<Resource>> included;
    private final InstantType published = InstantType.now();

    RecordBundle(List<? extends Resource> matches, Function<List<Resource>, List<Resource>> included) {
        this.matches = List.copyOf(matches);
        this.included = included;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int from, int to, ResponsePage.ResponsePageBuilder page) {
        List<Resource> slice = matches.subList(Math.min(from, matches.size()), Math.min(to, matches.size()));
        Map<String, IBaseResource> out = new LinkedHashMap<>();
        for (Resource match : slice) {
            out.put(key(match), served(match, BundleEntrySearchModeEnum.MATCH));
        }
        for (Resource include : included.apply(slice)) {
            out.putIfAbsent(key(include), served(include, BundleEntrySearchModeEnum.INCLUDE));
        }
        if (page != null) {
            page.setIncludedResourceCount(out.size() - slice.size());
        }
        return new ArrayList<>(out.values());
    }

    @Override
    public String getUuid() {
        return null;
    }

    @Override
    public Integer preferredPageSize() {
        return null;
    }

    @Override
    public Integer size() {
        return matches.size();
    }

    private static String key(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdPart();
    }

    private static Resource served(Resource resource, BundleEntrySearchModeEnum mode) {
        Resource copy = PreEncodedJson.mark(resource.copy(), resource);
        ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(copy, mode);
        return copy;
    }
}
