package org.izfhir.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.izfhir.fhir.FhirServerProperties;
import org.izfhir.record.PersonRecord;

/**
 * The first wall of the patient boundary: which patient a request of a patient-context token is
 * about, decided before any handler runs from the values the handler will use, parsed by HAPI's
 * own parameter types ({@link IdType}, {@link ReferenceParam}, {@link TokenParam}). Such a token
 * reads its patient's consolidated record (the record's types only): by id, by a search naming
 * that patient and nobody else, and by {@code Patient/{id}/$everything}. Every other form is
 * refused, whether or not it would name someone else: versioned references and {@code _history},
 * references to other servers, modifiers and chains on the patient parameter, {@code _id} values
 * that are not the record's id, other operations and interactions. Besides {@code $everything}, the
 * operations on a Patient that give proof of that record (a health card, its QR code, the official
 * record) are its own. Another person's resource id
 * answers 404, as if it did not exist; any other refusal is a 403.
 */
final class PatientBoundary {

    /** Search parameters that only shape the answer (without modifiers: {@code _include:iterate} is refused). */
    private static final Set<String> RESULT_PARAMETERS = Set.of("_count", "_format", "_pretty", "_summary",
            "_elements", "_sort", "_include", "_revinclude", "_total");
    /** The operations on a Patient that read that person's own record (and nothing else). */
    private static final Set<String> OWN_RECORD_OPERATIONS = Set.of("$everything", "$health-cards-issue",
            "$health-card-qr", "$official-record");
    /** Each record type's own filters, which narrow within the patient's record. */
    private static final Map<String, Set<String>> FILTERS = Map.of(
            "Patient", Set.of(),
            "Immunization", Set.of("date", "vaccine-code", "status"),
            "ImmunizationRecommendation", Set.of("date", "vaccine-type", "target-disease", "status"),
            "ImmunizationEvaluation", Set.of("date", "dose-status", "target-disease", "status"),
            "Provenance", Set.of());

    private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private PatientBoundary() {
    }

    /** Refuses (403, or 404 for another person's resource id) what a token for {@code patientId} may not ask. */
    static void check(RequestDetails request, RestOperationTypeEnum operation, String patientId) {
        String type = request.getResourceName();
        if (type == null || !FhirServerProperties.RECORD_TYPES.contains(type)) {
            throw new ForbiddenOperationException("A patient-context token reads its patient's immunization record ("
                    + String.join(", ", FhirServerProperties.RECORD_TYPES) + ") only");
        }
        switch (operation) {
            case READ -> ownResource(request, type, patientId);
            case SEARCH_TYPE -> ownSearch(request, type, patientId);
            case EXTENDED_OPERATION_INSTANCE -> {
                if (!"Patient".equals(type) || !OWN_RECORD_OPERATIONS.contains(request.getOperation())) {
                    throw refused("this operation");
                }
                if (!RESULT_PARAMETERS.containsAll(request.getParameters().keySet())) {
                    throw refused("an operation with query parameters other than the answer's shape");
                }
                ownResource(request, type, patientId);
            }
            default -> throw refused("this interaction");
        }
    }

    private static ForbiddenOperationException refused(String what) {
        return new ForbiddenOperationException(what + " is not available to a patient-context token: it reads its"
                + " patient's record by id, by a patient= search or by an operation on its Patient ("
                + String.join(", ", new java.util.TreeSet<>(OWN_RECORD_OPERATIONS)) + ")");
    }

    private static void ownResource(RequestDetails request, String type, String patientId) {
        IIdType id = request.getId();
        if (id == null || !id.hasIdPart() || id.hasVersionIdPart() || id.hasBaseUrl()) {
            throw refused("a versioned or absolute id");
        }
        String idPart = id.getIdPart();
        boolean own = "Patient".equals(type) ? patientId.equals(idPart)
                : PersonRecord.patientIdOf(idPart).filter(patientId::equals).isPresent();
        if (!own) {
            throw new ResourceNotFoundException(type + "/" + idPart + " is not part of this token's patient's record");
        }
    }

    private static void ownSearch(RequestDetails request, String type, String patientId) {
        if (request.getId() != null || request.getCompartmentName() != null) {
            throw refused("a compartment search");
        }
        String patientParameter = "Patient".equals(type) ? "_id" : "patient";
        boolean named = false;
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            String name = parameter.getKey();
            if (RESULT_PARAMETERS.contains(name) || isFilter(type, name)) {
                continue;
            }
            if (!name.equals(patientParameter)) {
                throw new ForbiddenOperationException("A patient-context token may not search by " + name
                        + ": its searches name its own patient (" + patientParameter + "=" + patientId + ")"
                        + " and may filter by " + String.join(", ", FILTERS.get(type)));
            }
            boolean own = "Patient".equals(type) ? ownIds(parameter.getValue(), request.getFhirContext(), patientId)
                    : ownReferences(parameter.getValue(), request, patientId);
            if (!own) {
                throw new ForbiddenOperationException("This token is for one patient; " + name
                        + " must name that patient only, as " + patientParameter + "=" + patientId);
            }
            named = true;
        }
        if (!named) {
            throw new ForbiddenOperationException("A patient-context token's searches name its patient: "
                    + patientParameter + "=" + patientId);
        }
    }

    /** A filter of this type, with a modifier at most ({@code date:missing} filters too); never a chain. */
    private static boolean isFilter(String type, String name) {
        int colon = name.indexOf(':');
        return !name.contains(".") && FILTERS.get(type).contains(colon < 0 ? name : name.substring(0, colon));
    }

    /** Whether every reference of a {@code patient} parameter, as HAPI reads it, is exactly this patient. */
    private static boolean ownReferences(String[] values, RequestDetails request, String patientId) {
        String base = request.getFhirServerBase();
        for (ReferenceParam reference : references(values, request.getFhirContext())) {
            String value = reference.getValue();
            boolean plain = !reference.hasChain() && reference.getMissing() == null
                    && (!reference.hasResourceType() || "Patient".equals(reference.getResourceType()))
                    && patientId.equals(reference.getIdPart()) && !new IdType(value).hasVersionIdPart()
                    && (reference.getBaseUrl() == null || reference.getBaseUrl().equals(base));
            boolean canonical = value.equals(patientId) || value.equals("Patient/" + patientId)
                    || value.equals(base + "/Patient/" + patientId);
            if (!plain || !canonical) {
                return false;
            }
        }
        return true;
    }

    /** Whether every {@code _id}, as HAPI reads it, is exactly this patient's. */
    private static boolean ownIds(String[] values, FhirContext fhir, String patientId) {
        TokenAndListParam ids = new TokenAndListParam();
        ids.setValuesAsQueryTokens(fhir, "_id", split(values));
        for (TokenOrListParam or : ids.getValuesAsQueryTokens()) {
            for (TokenParam id : or.getValuesAsQueryTokens()) {
                if (id.getSystem() != null || id.getModifier() != null || !patientId.equals(id.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A {@code patient} parameter's values as HAPI binds them: repeated parameters AND, commas OR. */
    static List<ReferenceParam> references(String[] values, FhirContext fhir) {
        ReferenceAndListParam parsed = new ReferenceAndListParam();
        parsed.setValuesAsQueryTokens(fhir, "patient", split(values));
        List<ReferenceParam> references = new ArrayList<>();
        for (ReferenceOrListParam or : parsed.getValuesAsQueryTokens()) {
            references.addAll(or.getValuesAsQueryTokens());
        }
        return references;
    }

    private static List<QualifiedParamList> split(String[] values) {
        List<QualifiedParamList> lists = new ArrayList<>(values.length);
        for (String value : values) {
            lists.add(QualifiedParamList.splitQueryStringByCommasIgnoreEscape(null, value));
        }
        return lists;
    }

    /**
     * The patients a request asks for, as its handler would read them (the id of a read, the
     * {@code patient} and {@code _id} parameters of a search): what the audit names when the
     * request is refused before anything is answered.
     */
    static Set<String> requested(RequestDetails request) {
        Set<String> patients = new LinkedHashSet<>();
        String type = request.getResourceName();
        if (type == null || !FhirServerProperties.RECORD_TYPES.contains(type)) {
            return patients;
        }
        if (request.getId() != null && request.getId().hasIdPart()) {
            PersonRecord.patientIdOf(request.getId().getIdPart()).ifPresent(patients::add);
        }
        try {
            String[] named = request.getParameters().get("patient");
            if (named != null) {
                references(named, request.getFhirContext()).stream().filter(r -> !r.hasChain())
                        .map(ReferenceParam::getIdPart).forEach(id -> PersonRecord.patientIdOf(id).ifPresent(patients::add));
            }
            String[] ids = request.getParameters().get("_id");
            if (ids != null && "Patient".equals(type)) {
                TokenAndListParam parsed = new TokenAndListParam();
                parsed.setValuesAsQueryTokens(request.getFhirContext(), "_id", split(ids));
                parsed.getValuesAsQueryTokens().forEach(or -> or.getValuesAsQueryTokens()
                        .forEach(id -> patients.add(id.getValue())));
            }
        } catch (RuntimeException unreadable) {
            // a parameter HAPI cannot read names nobody
        }
        patients.removeIf(id -> id == null || !FHIR_ID.matcher(id).matches()); // not an id: nobody's
        return patients;
    }
}
