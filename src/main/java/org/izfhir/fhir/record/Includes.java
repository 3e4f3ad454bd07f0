package org.izfhir.fhir.record;

import ca.uhn.fhir.model.api.Include;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.record.PersonRecord;

/** {@code _include} and {@code _revinclude} within one person's record: everything they name is in it. */
final class Includes {

    private Includes() {
    }

    /**
     * The resources included for a page of matches: the Patient for {@code X:patient}, the dose for
     * {@code ImmunizationEvaluation:immunization-event}; and back: Provenance targeting a match,
     * resources of the record whose {@code patient} (or {@code immunization-event}) is a match.
     */
    static Function<List<Resource>, List<Resource>> of(List<PersonRecord> records, Set<Include> includes,
                                                       Set<Include> revIncludes) {
        return page -> {
            List<Resource> out = new ArrayList<>();
            if ((includes == null || includes.isEmpty()) && (revIncludes == null || revIncludes.isEmpty())) {
                return out;
            }
            for (Resource match : page) {
                PersonRecord record = recordOf(records, match);
                if (record == null) {
                    continue;
                }
                String reference = match.fhirType() + "/" + match.getIdPart();
                for (Include include : includes == null ? Set.<Include>of() : includes) {
                    String param = include.getParamName();
                    if ("patient".equals(param) || "*".equals(param)) {
                        out.add(record.patient());
                    }
                    if ("immunization-event".equals(param) && match instanceof org.hl7.fhir.r4.model.ImmunizationEvaluation e) {
                        record.resource("Immunization", e.getImmunizationEvent().getReferenceElement().getIdPart())
                                .ifPresent(out::add);
                    }
                }
                for (Include include : revIncludes == null ? Set.<Include>of() : revIncludes) {
                    String type = include.getParamType();
                    String param = include.getParamName();
                    for (Resource candidate : record.resources()) {
                        if (candidate.fhirType().equals(type) && refers(candidate, param, reference)) {
                            out.add(candidate);
                        }
                    }
                }
            }
            return out;
        };
    }

    private static boolean refers(Resource resource, String param, String reference) {
        if (resource instanceof Provenance provenance) {
            return ("target".equals(param) || "*".equals(param) || "patient".equals(param) && reference.startsWith("Patient/"))
                    && provenance.getTarget().stream().map(Reference::getReference).anyMatch(reference::equals);
        }
        if ("patient".equals(param) || "*".equals(param)) {
            return resource.getNamedProperty("patient") != null && resource.getNamedProperty("patient").getValues()
                    .stream().anyMatch(v -> v instanceof Reference r && reference.equals(r.getReference()));
        }
        if ("immunization-event".equals(param) && resource instanceof org.hl7.fhir.r4.model.ImmunizationEvaluation e) {
            return reference.equals(e.getImmunizationEvent().getReference());
        }
        return false;
    }

    private static PersonRecord recordOf(List<PersonRecord> records, Resource match) {
        String patientId = PersonRecord.patientIdOf(match.getIdPart()).orElse("");
        return records.stream().filter(r -> r.patientId().equals(patientId)).findFirst().orElse(null);
    }
}
