package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.record.PersonMatcher;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.RecordProperties;
import org.izfhir.record.RecordService;
import org.izfhir.record.RegistryOutcomes;
import org.springframework.stereotype.Component;

/**
 * How the FHIR API reaches stored records: by resource id, by a {@code patient} reference, or by
 * demographics (also chained); with {@code Cache-Control: no-cache} forcing the registries to be
 * asked again. The registries' outcome is left on the request for {@link SearchOutcomeInterceptor}.
 */
@Component
public class RecordAccess {

    /** The request's user-data key of the registries' outcome. */
    static final String OUTCOME = RecordAccess.class.getName() + ".outcome";

    private final RecordService records;
    private final RecordProperties properties;

    RecordAccess(RecordService records, RecordProperties properties) {
        this.records = records;
        this.properties = properties;
    }

    /** Whether the client asked for an answer from the registries, not from the stored record. */
    static boolean askRegistries(RequestDetails request) {
        List<String> cacheControl = request.getHeaders("Cache-Control");
        return cacheControl != null && cacheControl.stream()
                .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("no-cache"));
    }

    /** The record a resource id belongs to; 404 with an explanation when it is not stored. */
    PersonRecord record(IdType id, RequestDetails request) {
        String patientId = PersonRecord.patientIdOf(id.getIdPart()).orElse("");
        return records.get(patientId, askRegistries(request)).orElseThrow(() -> new ResourceNotFoundException(
                id.getResourceType() + "/" + id.getIdPart() + ": " + notStored()));
    }

    /** The resource of a stored record, a copy to serve. */
    Resource read(String type, IdType id, RequestDetails request) {
        PersonRecord record = record(id, request);
        return record.resource(type, id.getIdPart()).map(Resource::copy).orElseThrow(() ->
                new ResourceNotFoundException(type + "/" + id.getIdPart() + " is not part of the stored record"));
    }

    /** The people found by these demographics (parameter name to value); the outcome goes on the request. */
    RecordService.Found find(Map<String, String> demographics, String prefix, RequestDetails request) {
        return find(Demographics.query(demographics, prefix), request);
    }

    /** How well a person matches a query. */
    PersonMatcher.Match match(PersonQuery query, Patient patient) {
        return records.match(query, patient);
    }

    /** The people found by a query; the outcome goes on the request. */
    RecordService.Found find(PersonQuery query, RequestDetails request) {
        RecordService.Found found = records.find(query, askRegistries(request));
        request.getUserData().put(OUTCOME, found.outcome());
        return found;
    }

    /**
     * The records a {@code patient} parameter names: references to stored patients, or the people
     * its chained demographics find. A search without it is refused: it would ask every registry
     * for everyone.
     */
    List<PersonRecord> records(ReferenceAndListParam patient, String type, RequestDetails request) {
        if (patient == null || patient.getValuesAsQueryTokens().isEmpty()) {
            throw new InvalidRequestException(type + " searches need the person: patient=Patient/{id}, or patient.family,"
                    + " patient.given and patient.birthdate (YYYY-MM-DD)");
        }
        Map<String, String> demographics = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (ReferenceOrListParam or : patient.getValuesAsQueryTokens()) {
            for (ReferenceParam reference : or.getValuesAsQueryTokens()) {
                if (reference.getChain() == null || reference.getChain().isEmpty()) {
                    ids.add(reference.getIdPart());
                } else if (Demographics.PARAMETERS.contains(reference.getChain())) {
                    demographics.put(reference.getChain(), reference.getValue());
                } else {
                    throw new InvalidRequestException("patient." + reference.getChain() + " is not a search of a person;"
                            + " use patient.family, patient.given, patient.birthdate, or one of patient."
                            + String.join(", patient.", Demographics.PARAMETERS.subList(3, Demographics.PARAMETERS.size())));
                }
            }
        }
        if (!demographics.isEmpty()) {
            return find(demographics, "patient.", request).records();
        }
        return byIds(ids, request);
    }

    /** The stored records of these Patient ids (refreshed when stale); the outcome goes on the request. */
    List<PersonRecord> byIds(List<String> ids, RequestDetails request) {
        List<PersonRecord> found = new ArrayList<>();
        OperationOutcome outcome = null;
        for (String id : ids) {
            var record = records.get(PersonRecord.patientIdOf(id).orElse(""), askRegistries(request))
                    .filter(r -> r.patientId().equals(id));
            if (record.isPresent()) {
                found.add(record.get());
                if (outcome == null) {
                    outcome = record.get().outcome().copy();
                    outcome.addIssue(RegistryOutcomes.askedAt(record.get().refreshedAt()));
                }
            }
        }
        if (found.isEmpty()) {
            outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.NOTFOUND)
                    .setDiagnostics("Patient/" + String.join(", Patient/", ids) + ": " + notStored());
        }
        request.getUserData().put(OUTCOME, outcome);
        return found;
    }

    private String notStored() {
        return "not a stored record: records are kept " + properties.retention().toHours() + " h after the"
                + " registries were last asked. Search Patient by family, given and birthdate to ask the registries again.";
    }
}
