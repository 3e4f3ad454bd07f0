package org.izfhir.hl7.response;

/** The LOINC codes of observations (OBX-3) that the CDC immunization guide defines. */
final class Loinc {

    static final String SYSTEM = "http://loinc.org";

    // Funding and VIS, on an administered dose
    static final String FUNDING_ELIGIBILITY = "64994-7";
    static final String FUNDING_SOURCE = "30963-3";
    static final String VIS_DOCUMENT_TYPE = "69764-9";
    static final String VIS_PUBLISHED = "29768-9";
    static final String VIS_PRESENTED = "29769-7";

    // Evaluation (Z42) and forecast (Z42, on an RXA-5 998 "no vaccine administered")
    static final String VACCINE_TYPE = "30956-7";
    static final String SCHEDULE_USED = "59779-9";
    static final String SERIES_NAME = "59780-7";
    static final String DOSE_NUMBER = "30973-2";
    static final String DOSE_VALIDITY = "59781-5";
    static final String DOSES_IN_SERIES = "59782-3";
    static final String SERIES_STATUS = "59783-1";
    static final String EARLIEST_DATE = "30981-5";
    static final String RECOMMENDED_DATE = "30980-7";
    static final String LATEST_DATE = "59777-3";
    static final String OVERDUE_DATE = "59778-1";
    static final String FORECAST_REASON = "30982-3";

    // Patient-level findings, on an order group of their own or beside a dose
    static final String CONTRAINDICATION = "30945-0";
    static final String IMMUNITY = "59784-9";
    static final String SEROLOGY = "75505-8";

    private Loinc() {
    }

    static boolean isForecast(String code) {
        return switch (code) {
            case SERIES_STATUS, EARLIEST_DATE, RECOMMENDED_DATE, LATEST_DATE, OVERDUE_DATE, FORECAST_REASON -> true;
            default -> false;
        };
    }

    /** A finding about the patient (a contraindication, evidence of immunity), not about a dose. */
    static boolean isFinding(String code) {
        return switch (code) {
            case CONTRAINDICATION, IMMUNITY, SEROLOGY -> true;
            default -> false;
        };
    }

    static boolean isEvaluation(String code) {
        return switch (code) {
            case DOSE_VALIDITY, DOSE_NUMBER, SERIES_NAME -> true;
            default -> false;
        };
    }
}
