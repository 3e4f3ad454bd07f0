package org.izfhir.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.fhir.FhirServerProperties;
import org.izfhir.record.PersonRecord;
import org.izfhir.submit.Submissions;

/**
 * Whose consolidated records the resources of a FHIR body belong to, read from the resources
 * themselves: a Patient is its own id's; a resource of a record is the patient its id and every
 * reference it holds name. Bundles and Parameters are looked into; an OperationOutcome belongs to
 * nobody; a file (Binary) is the patient's its {@code securityContext} names. Anything else
 * (another type, a resource without an id, a contained resource, a reference outside the
 * records) is a stray: it cannot be shown to belong to anyone.
 *
 * @param patients the patient ids named
 * @param strays   what belongs to no record, by type
 */
record RecordOwners(Set<String> patients, List<String> strays) {

    private static final FhirTerser TERSER = FhirContext.forR4Cached().newTerser();
    /** The request's user-data key of its answer's owners, read once for the answer check and the audit. */
    private static final String OF_ANSWER = RecordOwners.class.getName() + ".answer";

    /** The owners of a request's answer, read from it once per request. */
    static RecordOwners ofAnswer(RequestDetails request, IBaseResource answer) {
        if (request.getUserData().get(OF_ANSWER) instanceof Answer known && known.body() == answer) {
            return known.owners();
        }
        RecordOwners owners = of(answer);
        request.getUserData().put(OF_ANSWER, new Answer(answer, owners));
        return owners;
    }

    private record Answer(IBaseResource body, RecordOwners owners) {
    }

    /** The owners of everything in a response body (none for no body). */
    static RecordOwners of(IBaseResource body) {
        RecordOwners owners = new RecordOwners(new LinkedHashSet<>(), new ArrayList<>());
        if (body != null) {
            owners.add(body);
        }
        return owners;
    }

    /** Whether everything in the body is this one patient's (or nobody's, as an outcome). */
    boolean onlyOf(String patientId) {
        return strays.isEmpty() && Set.of(patientId).containsAll(patients);
    }

    private void add(IBaseResource resource) {
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r != null).forEach(this::add);
        } else if (resource instanceof Parameters parameters) {
            parameters.getParameter().forEach(this::add);
        } else if (resource instanceof OperationOutcome) {
            return;
        } else if (resource instanceof Binary file) {
            addFile(file);
        } else if (resource instanceof Resource record && FhirServerProperties.RECORD_TYPES.contains(record.fhirType())) {
            addRecordResource(record);
        } else {
            strays.add(resource.fhirType());
        }
    }

    private void add(Parameters.ParametersParameterComponent parameter) {
        if (parameter.getResource() != null) {
            add(parameter.getResource());
        }
        parameter.getPart().forEach(this::add);
    }

    /** A file made of one record (a health card, the official record) names it as its security context. */
    private void addFile(Binary file) {
        IdType context = new IdType(file.getSecurityContext().getReference());
        if ("Patient".equals(context.getResourceType()) && context.hasIdPart() && !context.hasBaseUrl()) {
            patients.add(context.getIdPart());
        } else {
            strays.add(file.fhirType());
        }
    }

    private void addRecordResource(Resource resource) {
        String id = resource.getIdElement().getIdPart();
        if (id == null || (resource instanceof DomainResource domain && !domain.getContained().isEmpty())) {
            strays.add(resource.fhirType());
            return;
        }
        // a dose submitted here is a person's by its patient reference, not by its id
        if (!id.startsWith(Submissions.DOSE_ID_PREFIX)) {
            patients.add("Patient".equals(resource.fhirType()) ? id : PersonRecord.patientIdOf(id).orElseThrow());
        }
        for (Reference reference : TERSER.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (!reference.hasReference()) {
                continue; // a display only
            }
            IdType target = new IdType(reference.getReference());
            if (!target.hasIdPart() || target.getResourceType() == null
                    || !FhirServerProperties.RECORD_TYPES.contains(target.getResourceType())) {
                strays.add(resource.fhirType() + " reference");
            } else {
                patients.add("Patient".equals(target.getResourceType()) ? target.getIdPart()
                        : PersonRecord.patientIdOf(target.getIdPart()).orElseThrow());
            }
        }
    }
}
