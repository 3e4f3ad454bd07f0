package org.izfhir.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.query.PersonQuery;

/**
 * One person's consolidated record, as stored: the Patient, the de-duplicated doses, the
 * registries' evaluations and forecasts, one Provenance per registry, and what each registry
 * said. Every resource id starts with the Patient's id and a dash. Treat as immutable: callers
 * copy a resource before changing or serving it.
 *
 * @param query       the demographics the registries are asked with when the record is refreshed
 * @param sources     the registry answers the record is made of
 * @param outcome     one issue per registry asked
 * @param refreshedAt when the registries were last asked
 */
public record PersonRecord(String patientId, Patient patient, List<Immunization> immunizations,
                           List<ImmunizationEvaluation> evaluations, List<ImmunizationRecommendation> recommendations,
                           List<Provenance> provenances, OperationOutcome outcome, PersonQuery query,
                           List<RegistryAnswer> sources, Instant refreshedAt) {

    public PersonRecord {
        immunizations = List.copyOf(immunizations);
        evaluations = List.copyOf(evaluations);
        recommendations = List.copyOf(recommendations);
        provenances = List.copyOf(provenances);
        sources = List.copyOf(sources);
    }

    /** The same record with another account of what each registry said. */
    PersonRecord withOutcome(OperationOutcome otherOutcome) {
        return new PersonRecord(patientId, patient, immunizations, evaluations, recommendations, provenances,
                otherOutcome, query, sources, refreshedAt);
    }

    /** The patient id a resource id of a record belongs to, or empty when the id is not of a record. */
    public static Optional<String> patientIdOf(String resourceId) {
        if (resourceId == null) {
            return Optional.empty();
        }
        int dash = resourceId.indexOf('-');
        return Optional.of(dash < 0 ? resourceId : resourceId.substring(0, dash));
    }

    /** Every resource of the record: the Patient first. */
    public List<Resource> resources() {
        List<Resource> all = new ArrayList<>(1 + immunizations.size() + evaluations.size() + recommendations.size()
                + provenances.size());
        all.add(patient);
        all.addAll(immunizations);
        all.addAll(evaluations);
        all.addAll(recommendations);
        all.addAll(provenances);
        return all;
    }

    /** The resource of this type and id, if the record holds it. */
    public Optional<Resource> resource(String type, String id) {
        return resources().stream().filter(r -> r.fhirType().equals(type) && r.getIdElement().getIdPart().equals(id))
                .findFirst();
    }

    /** The identifiers the registries gave the person, as {@code system|value}. */
    public List<String> identifierKeys() {
        return patient.getIdentifier().stream().filter(i -> i.hasSystem() && i.hasValue())
                .map(i -> i.getSystem() + "|" + i.getValue()).toList();
    }
}
