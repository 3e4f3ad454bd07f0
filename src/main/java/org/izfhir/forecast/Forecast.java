package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.List;

/** The engine's answer: a forecast per vaccine group and an evaluation per dose and antigen. */
public record Forecast(LocalDate assessmentDate, List<GroupForecast> groups, List<DoseEvaluation> evaluations) {

    public enum Status {
        NOT_COMPLETE("Not Complete"), COMPLETE("Complete"), IMMUNE("Immune"), CONTRAINDICATED("Contraindicated"),
        AGED_OUT("Aged Out"), NOT_RECOMMENDED("Not Recommended");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public enum EvaluationStatus {
        VALID("Valid"), NOT_VALID("Not Valid"), EXTRANEOUS("Extraneous");

        private final String text;

        EvaluationStatus(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * The forecast for a vaccine group. Dates and dose number are present only when the status is
     * {@link Status#NOT_COMPLETE}; {@code recommendedCvx} are the vaccines the supporting data
     * names for forecasting the next dose.
     */
    public record GroupForecast(
            String vaccineGroup,
            Status status,
            Integer doseNumber,
            Integer seriesDoses,
            LocalDate earliest,
            LocalDate recommended,
            LocalDate pastDue,
            LocalDate latest,
            List<String> targetDiseases,
            List<String> recommendedCvx,
            List<String> series,
            List<String> reasons) {

        /** The same forecast asking for another dose number. */
        public GroupForecast withDoseNumber(int number) {
            return new GroupForecast(vaccineGroup, status, number, seriesDoses, earliest, recommended, pastDue, latest,
                    targetDiseases, recommendedCvx, series, reasons);
        }
    }

    /**
     * How one dose counted for one antigen, in the best series for that antigen;
     * {@code doseNumber} is the target dose it satisfied, when valid.
     */
    public record DoseEvaluation(
            String doseId,
            int doseIndex,
            String antigen,
            String vaccineGroup,
            String targetDisease,
            String series,
            EvaluationStatus status,
            String reason,
            Integer doseNumber) {}

    public GroupForecast group(String vaccineGroup) {
        return groups.stream().filter(g -> g.vaccineGroup().equals(vaccineGroup)).findFirst().orElse(null);
    }
}
