package org.izfhir.fhir.record;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.izfhir.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * Puts what each registry said in the searchset, as an {@code OperationOutcome} entry with
 * {@code search.mode = outcome}, on the first page of every search that consulted the registries
 * (or the stored record they made); and gives each entry without one a {@code fullUrl}.
 */
@Component
public class SearchOutcomeInterceptor implements FhirInterceptor {

    /** Before the patient boundary's check of the answer ({@code PatientResponseCheck.ORDER}), which sees it whole. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = -20)
    public boolean addOutcome(RequestDetails request, ResponseDetails response) {
        Object outcome = request.getUserData().get(RecordAccess.OUTCOME);
        if (outcome instanceof OperationOutcome registries && response.getResponseResource() instanceof Bundle bundle
                && bundle.getType() == Bundle.BundleType.SEARCHSET
                && bundle.getEntry().stream().noneMatch(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME)) {
            bundle.addEntry().setResource(registries).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
        }
        if (response.getResponseResource() instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.SEARCHSET) {
            // every entry has an identity: resources without an id here (the registries' outcome, a registry's
            // candidate) a urn:uuid named by their content, the same for the same resource
            var json = request.getFhirContext().newJsonParser();
            bundle.getEntry().stream().filter(e -> e.getResource() != null && !e.hasFullUrl())
                    .forEach(e -> e.setFullUrl("urn:uuid:" + java.util.UUID.nameUUIDFromBytes(json.encodeResourceToString(
                            e.getResource()).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        return true;
    }
}
