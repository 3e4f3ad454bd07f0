package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.record.PersonMatcher;
import org.izfhir.record.PatientAccess;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.RecordProperties;
import org.izfhir.record.RecordService;
import org.izfhir.record.RegistryOutcomes;
import org.springframework.stereotype.Component;

/**
 * How the FHIR API reaches stored records: by resource id, by a {@code patient} reference, or by
 * demographics (also chained); with {@code Cache-Control: no-cache} forcing the registries to be
 * asked again. The registries' outcome is left on the request for {@link SearchOutcomeInterceptor}.
 *
 * <p>Every call passes the record layer whose records the request may reach, as the security
 * check granted it ({@link #grant}); a request without such a grant reaches nothing. References
 * are taken only in the forms that name one stored person unambiguously: {@code {id}},
 * {@code Patient/{id}} or this server's absolute URL of it, without a version.
 */
@Component
public class RecordAccess {

    /** The request's user-data key of the registries' outcome. */
    static final String OUTCOME = RecordAccess.class.getName() + ".outcome";
    /** The request's user-data key of whose records it may reach. */
    private static final String ACCESS = RecordAccess.class.getName() + ".access";

    private final RecordService records;
    private final RecordProperties properties;

    RecordAccess(RecordService records, RecordProperties properties) {
        this.records = records;
        this.properties = properties;
    }

    /** Lets a request reach the records this access allows (the security check's decision). */
    public static void grant(RequestDetails request, PatientAccess access) {
        request.getUserData().put(ACCESS, access);
    }

    /** Whose records the request may reach: denied when no security check granted any. */
    private static PatientAccess access(RequestDetails request) {
        if (request.getUserData().get(ACCESS) instanceof PatientAccess access) {
            return access;
        }
        throw new ForbiddenOperationException("This request was granted no access to records");
    }

    /** Whether the client asked for an answer from the registries, not from the stored record. */
    static boolean askRegistries(RequestDetails request) {
        List<String> cacheControl = request.getHeaders("Cache-Control");
        return cacheControl != null && cacheControl.stream()
                .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("no-cache"));
    }

    /** The record a resource id belongs to; 404 with an explanation when it is not stored. */
    PersonRecord record(IdType id, RequestDetails request) {
        if (id.hasVersionIdPart() || id.hasBaseUrl()) {
            throw new InvalidRequestException("Consolidated records have no versions and live on this server: ask for "
                    + id.getResourceType() + "/{id}");
        }
        String patientId = PersonRecord.patientIdOf(id.getIdPart()).orElse("");
        return get(patientId, request).orElseThrow(() -> new ResourceNotFoundException(
                id.getResourceType() + "/" + id.getIdPart() + ": " + notStored()));
    }

    private Optional<PersonRecord> get(String patientId, RequestDetails request) {
        try {
            return records.get(patientId, access(request), askRegistries(request));
        } catch (PatientAccess.NotPermittedException e) {
            throw new ForbiddenOperationException("This token may not reach that record");
        }
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
        RecordService.Found found;
        try {
            found = records.find(query, access(request), askRegistries(request));
        } catch (PatientAccess.NotPermittedException e) {
            throw new ForbiddenOperationException("This token may not search for people");
        }
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
                if (!reference.hasChain()) {
                    ids.add(patientId(reference, request));
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

    /** The Patient id a plain reference names; 400 for any other form. */
    private static String patientId(ReferenceParam reference, RequestDetails request) {
        String value = reference.getValue();
        String id = reference.getIdPart();
        String base = request.getFhirServerBase();
        if (reference.getMissing() != null || id == null || new IdType(value).hasVersionIdPart()
                || !(value.equals(id) || value.equals("Patient/" + id) || value.equals(base + "/Patient/" + id))) {
            throw new InvalidRequestException("patient must name a Patient of this server: patient={id}, Patient/{id} or "
                    + base + "/Patient/{id}, without a version or modifier");
        }
        return id;
    }

    /** The stored records of these Patient ids (refreshed when stale); the outcome goes on the request. */
    List<PersonRecord> byIds(List<String> ids, RequestDetails request) {
        List<PersonRecord> found = new ArrayList<>();
        OperationOutcome outcome = null;
        for (String id : ids) {
            if (!PersonRecord.patientIdOf(id).filter(id::equals).isPresent()) {
                continue; // the id of another resource of a record, not of a Patient
            }
            var record = get(id, request);
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
