package org.izfhir.fhir.record;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Immunization;
import org.izfhir.fhir.submit.SubmissionEndpoint;
import org.izfhir.record.PersonRecord;
import org.springframework.stereotype.Component;

/**
 * Immunization: the de-duplicated doses of consolidated records, and the doses a client submits
 * here ({@code Immunization/sub-...}), which it may create, correct and delete.
 */
@Component
public class ImmunizationRecordProvider implements RecordResourceProvider {

    private final RecordAccess access;
    private final SubmissionEndpoint submissions;

    ImmunizationRecordProvider(RecordAccess access, SubmissionEndpoint submissions) {
        this.access = access;
        this.submissions = submissions;
    }

    @Create
    public MethodOutcome create(@ResourceParam Immunization dose, RequestDetails request) {
        return submissions.create(dose, request);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Immunization dose, RequestDetails request) {
        return submissions.update(id, dose, request);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, RequestDetails request) {
        return submissions.delete(id, request);
    }

    @Override
    public Class<Immunization> getResourceType() {
        return Immunization.class;
    }

    @Read
    public Immunization read(@IdParam IdType id, RequestDetails request) {
        return SubmissionEndpoint.submitted(id) ? submissions.read(id, request)
                : (Immunization) access.read("Immunization", id, request);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = Immunization.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = Immunization.SP_DATE) DateRangeParam date,
            @OptionalParam(name = Immunization.SP_VACCINE_CODE) TokenOrListParam vaccineCode,
            @OptionalParam(name = Immunization.SP_STATUS) TokenOrListParam status,
            @IncludeParam(allow = {"Immunization:patient"}) Set<Include> includes,
            @IncludeParam(reverse = true, allow = {"Provenance:target", "ImmunizationEvaluation:immunization-event"})
            Set<Include> revIncludes,
            @Sort SortSpec sort,
            RequestDetails request) {
        List<PersonRecord> records = access.records(patient, "Immunization", request);
        List<Immunization> matches = new ArrayList<>();
        for (PersonRecord record : records) {
            for (Immunization dose : record.immunizations()) {
                if (SearchFilters.date(date, dose.hasOccurrenceDateTimeType() ? List.of(dose.getOccurrenceDateTimeType())
                        : List.of()) && SearchFilters.token(vaccineCode, List.of(dose.getVaccineCode()))
                        && SearchFilters.code(status, dose.getStatus() == null ? null : dose.getStatus().toCode())) {
                    matches.add(dose);
                }
            }
        }
        Comparator<Immunization> byDate = Comparator.comparing(dose ->
                dose.hasOccurrenceDateTimeType() ? dose.getOccurrenceDateTimeType().getValueAsString() : "");
        if (sort != null && "date".equals(sort.getParamName()) && sort.getOrder() == SortOrderEnum.DESC) {
            byDate = byDate.reversed();
        }
        matches.sort(byDate);
        return new RecordBundle(matches, Includes.of(records, includes, revIncludes));
    }
}
