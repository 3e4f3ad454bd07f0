package org.izfhir.hl7.response;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationDateCriterionComponent;
import org.izfhir.hl7.v2.Segment;

/**
 * The OBX of one forecast (one OBX-4 sub-id under the Z42 forecast carrier) to a recommendation,
 * with {@code forecastStatus} and {@code dateCriterion} coded as the HL7 Immunization Decision
 * Support Forecast guide uses them (LOINC 30981-5 earliest, 30980-7 due, 59777-3 latest,
 * 59778-1 overdue).
 *
 * @see <a href="https://hl7.org/fhir/us/immds/">HL7 Immunization Decision Support Forecast IG</a>
 */
final class ForecastMapper {

    private ForecastMapper() {
    }

    static ImmunizationRecommendationRecommendationComponent recommendation(List<Segment> observations) {
        ImmunizationRecommendationRecommendationComponent recommendation =
                new ImmunizationRecommendationRecommendationComponent();
        CodeableConcept status = null;
        for (Segment obx : observations) {
            String code = OrderGroupObservations.code(obx);
            switch (code) {
                case Loinc.VACCINE_TYPE -> {
                    CodeableConcept vaccine = V2Types.concept(obx, 5);
                    if (vaccine != null) {
                        recommendation.addVaccineCode(vaccine);
                    }
                }
                case Loinc.SERIES_STATUS -> status = V2Types.concept(obx, 5);
                case Loinc.DOSE_NUMBER -> V2Types.positive(obx.get(5)).ifPresent(recommendation::setDoseNumber);
                case Loinc.DOSES_IN_SERIES -> V2Types.positive(obx.get(5)).ifPresent(recommendation::setSeriesDoses);
                case Loinc.SERIES_NAME -> V2Types.setText(obx.get(5), recommendation::setSeries);
                case Loinc.FORECAST_REASON -> {
                    CodeableConcept reason = V2Types.concept(obx, 5);
                    if (reason != null) {
                        recommendation.addForecastReason(reason);
                    }
                }
                case Loinc.EARLIEST_DATE, Loinc.RECOMMENDED_DATE, Loinc.LATEST_DATE, Loinc.OVERDUE_DATE ->
                        dateCriterion(recommendation, obx, code);
                default -> { }
            }
        }
        recommendation.setForecastStatus(forecastStatus(status, recommendation));
        return recommendation;
    }

    private static void dateCriterion(ImmunizationRecommendationRecommendationComponent recommendation, Segment obx,
                                      String loinc) {
        DateTimeType date = V2Types.dateTime(obx.get(5));
        if (date == null) {
            return;
        }
        ImmunizationRecommendationRecommendationDateCriterionComponent criterion = recommendation.addDateCriterion();
        criterion.getCode().addCoding(new Coding(Loinc.SYSTEM, loinc, obx.get(3, 2).trim().isEmpty() ? null
                : obx.get(3, 2).trim()));
        criterion.setValueElement(date);
    }

    /**
     * The registry's series status (59783-1) with the ImmDS status beside it: complete, immune,
     * contraindicated, overdue or due. Without a series status, a recommendation whose overdue
     * date is known is due (the date tells when it becomes overdue).
     */
    static CodeableConcept forecastStatus(CodeableConcept registryStatus,
                                          ImmunizationRecommendationRecommendationComponent recommendation) {
        CodeableConcept status = registryStatus != null ? registryStatus : new CodeableConcept();
        String words = (status.getText() + " " + status.getCoding().stream()
                .map(c -> c.getCode() + " " + c.getDisplay()).reduce("", String::concat)).toLowerCase(Locale.ROOT);
        String code;
        if (words.contains("not complete") || words.contains("incomplete")) {
            code = words.contains("overdue") || words.contains("past due") ? "overdue" : "due";
        } else if (words.contains("complete")) {
            code = "complete";
        } else if (words.contains("immun")) {
            code = "immune";
        } else if (words.contains("contraindicat")) {
            code = "contraindicated";
        } else if (words.contains("overdue") || words.contains("past due")) {
            code = "overdue";
        } else {
            code = "due";
        }
        status.getCoding().add(0, new Coding(OrderGroupMapper.RECOMMENDATION_STATUS_SYSTEM, code, null));
        if (registryStatus == null && !recommendation.hasDateCriterion()) {
            status.setText("no status or dates sent");
        }
        return status;
    }
}
