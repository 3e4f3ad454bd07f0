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
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent;
import org.izfhir.record.PersonRecord;
import org.springframework.stereotype.Component;

/** ImmunizationRecommendation: the forecasts of consolidated records, each marked with its registry. */
@Component
public class ImmunizationRecommendationRecordProvider implements RecordResourceProvider {

    private final RecordAccess access;

    ImmunizationRecommendationRecordProvider(RecordAccess access) {
        this.access = access;
    }

    @Override
    public Class<ImmunizationRecommendation> getResourceType() {
        return ImmunizationRecommendation.class;
    }

    @Read
    public ImmunizationRecommendation read(@IdParam IdType id, RequestDetails request) {
        return (ImmunizationRecommendation) access.read("ImmunizationRecommendation", id, request);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = ImmunizationRecommendation.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = ImmunizationRecommendation.SP_DATE) DateRangeParam date,
            @OptionalParam(name = ImmunizationRecommendation.SP_VACCINE_TYPE) TokenOrListParam vaccineType,
            @OptionalParam(name = ImmunizationRecommendation.SP_TARGET_DISEASE) TokenOrListParam targetDisease,
            @OptionalParam(name = ImmunizationRecommendation.SP_STATUS) TokenOrListParam status,
            @IncludeParam(allow = {"ImmunizationRecommendation:patient"}) Set<Include> includes,
            @IncludeParam(reverse = true, allow = {"Provenance:target"}) Set<Include> revIncludes,
            RequestDetails request) {
        List<PersonRecord> records = access.records(patient, "ImmunizationRecommendation", request);
        List<ImmunizationRecommendation> matches = new ArrayList<>();
        for (PersonRecord record : records) {
            for (ImmunizationRecommendation forecast : record.recommendations()) {
                if (SearchFilters.date(date, List.of(forecast.getDateElement()))
                        && forecast.getRecommendation().stream().anyMatch(r -> matches(r, vaccineType, targetDisease, status))) {
                    matches.add(forecast);
                }
            }
        }
        return new RecordBundle(matches, Includes.of(records, includes, revIncludes));
    }

    private static boolean matches(ImmunizationRecommendationRecommendationComponent recommendation,
                                   TokenOrListParam vaccineType, TokenOrListParam targetDisease, TokenOrListParam status) {
        return SearchFilters.token(vaccineType, recommendation.getVaccineCode())
                && SearchFilters.token(targetDisease, List.of(recommendation.getTargetDisease()))
                && SearchFilters.token(status, List.of(recommendation.getForecastStatus()));
    }
}
