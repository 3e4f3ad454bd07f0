package org.izfhir.auth;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Map;
import java.util.Set;
import org.izfhir.fhir.FhirServerProperties;
import org.izfhir.record.PersonRecord;

/**
 * Narrows a patient-context token's request to its patient, from the request alone, before any
 * handler runs: so a request for anyone else reads no stored row and asks no registry. Such a
 * token reads its patient's consolidated record (the record's types only) by id, by
 * {@code patient=} search or by {@code $everything}; finding people (searches by demographics,
 * chained or not, and {@code $match}) is refused. Ids of other people's resources answer 404, as
 * if they did not exist.
 */
final class PatientNarrowing {

    /** Search parameters that only shape the answer. */
    private static final Set<String> RESULT_PARAMETERS = Set.of("_count", "_format", "_pretty", "_summary",
            "_elements", "_sort", "_include", "_revinclude", "_total");
    /** Record searches' own filters, besides the patient. */
    private static final Set<String> FILTERS = Set.of("date", "vaccine-code", "status", "target-disease",
            "immunization-event", "dose-status", "vaccine-type", "information");

    private PatientNarrowing() {
    }

    static void check(RequestDetails request, RestOperationTypeEnum operation, String patientId) {
        String type = request.getResourceName();
        if (operation == RestOperationTypeEnum.METADATA || operation == RestOperationTypeEnum.GET_PAGE) {
            return;
        }
        if (type == null || !FhirServerProperties.RECORD_TYPES.contains(type)) {
            throw new ForbiddenOperationException("A patient-context token reads its patient's immunization record ("
                    + String.join(", ", FhirServerProperties.RECORD_TYPES) + ") only");
        }
        switch (operation) {
            case READ, VREAD -> ownResource(request, type, patientId);
            case SEARCH_TYPE -> ownSearch(request, type, patientId);
            case EXTENDED_OPERATION_INSTANCE -> {
                if (!"$everything".equals(request.getOperation())) {
                    throw refused(request.getOperation());
                }
                ownResource(request, type, patientId);
            }
            default -> throw refused(operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                    ? request.getOperation() : operation.getCode());
        }
    }

    private static ForbiddenOperationException refused(String what) {
        return new ForbiddenOperationException(what + " is not available to a patient-context token: it reads its"
                + " patient's record by id, by patient= search or by $everything");
    }

    private static void ownResource(RequestDetails request, String type, String patientId) {
        String id = request.getId() == null ? null : request.getId().getIdPart();
        boolean own = "Patient".equals(type) ? patientId.equals(id)
                : PersonRecord.patientIdOf(id).filter(patientId::equals).isPresent();
        if (!own) {
            throw new ResourceNotFoundException(type + "/" + id + " is not part of this token's patient's record");
        }
    }

    private static void ownSearch(RequestDetails request, String type, String patientId) {
        boolean narrowed = false;
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            String name = parameter.getKey();
            String base = name.split("[:.]")[0];
            if (RESULT_PARAMETERS.contains(base) || (FILTERS.contains(base) && !"Patient".equals(type))) {
                continue;
            }
            boolean patientParameter = "Patient".equals(type) ? name.equals("_id") : base.equals("patient");
            if (!patientParameter || name.contains(".")) {
                throw new ForbiddenOperationException("A patient-context token may not search by " + name
                        + ": it reads its own patient's record only (" + ("Patient".equals(type) ? "_id" : "patient")
                        + "=" + patientId + ")");
            }
            for (String value : parameter.getValue()) {
                for (String one : value.split(",")) {
                    if (!patientId.equals(idPart(one))) {
                        throw new ForbiddenOperationException("This token is for one patient; " + name + "=" + one
                                + " names someone else");
                    }
                }
            }
            narrowed = true;
        }
        if (!narrowed) {
            throw new ForbiddenOperationException("A patient-context token's searches name its patient: "
                    + ("Patient".equals(type) ? "_id" : "patient") + "=" + patientId);
        }
    }

    /** The id of a reference as searched: {@code 123}, {@code Patient/123} or an absolute URL. */
    static String idPart(String reference) {
        String trimmed = reference.trim();
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }
}
