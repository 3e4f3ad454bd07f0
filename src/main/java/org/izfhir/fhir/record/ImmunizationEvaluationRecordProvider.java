package org.izfhir.fhir.record;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.izfhir.record.PersonRecord;
import org.springframework.stereotype.Component;

/** ImmunizationEvaluation: the registries' evaluations of the doses of consolidated records. */
@Component
public class ImmunizationEvaluationRecordProvider implements RecordResourceProvider {

    private final RecordAccess access;

    ImmunizationEvaluationRecordProvider(RecordAccess access) {
        this.access = access;
    }

    @Override
    public Class<ImmunizationEvaluation> getResourceType() {
        return ImmunizationEvaluation.class;
    }

    @Read
    public ImmunizationEvaluation read(@IdParam IdType id, RequestDetails request) {
        return (ImmunizationEvaluation) access.read("ImmunizationEvaluation", id, request);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = ImmunizationEvaluation.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = ImmunizationEvaluation.SP_DATE) DateRangeParam date,
            @OptionalParam(name = ImmunizationEvaluation.SP_DOSE_STATUS) TokenOrListParam doseStatus,
            @OptionalParam(name = ImmunizationEvaluation.SP_TARGET_DISEASE) TokenOrListParam targetDisease,
            @OptionalParam(name = ImmunizationEvaluation.SP_STATUS) TokenOrListParam status,
            @IncludeParam(allow = {"ImmunizationEvaluation:patient", "ImmunizationEvaluation:immunization-event"})
            Set<Include> includes,
            @IncludeParam(reverse = true, allow = {"Provenance:target"}) Set<Include> revIncludes,
            RequestDetails request) {
        List<PersonRecord> records = access.records(patient, "ImmunizationEvaluation", request);
        List<ImmunizationEvaluation> matches = new ArrayList<>();
        for (PersonRecord record : records) {
            for (ImmunizationEvaluation evaluation : record.evaluations()) {
                if (SearchFilters.date(date, List.of(evaluation.getDateElement()))
                        && SearchFilters.token(doseStatus, List.of(evaluation.getDoseStatus()))
                        && SearchFilters.token(targetDisease, List.of(evaluation.getTargetDisease()))
                        && SearchFilters.code(status, evaluation.hasStatus() ? evaluation.getStatus().toCode() : null)) {
                    matches.add(evaluation);
                }
            }
        }
        return new RecordBundle(matches, Includes.of(records, includes, revIncludes));
    }
}
