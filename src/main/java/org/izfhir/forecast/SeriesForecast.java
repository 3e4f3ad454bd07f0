package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.List;
import org.izfhir.forecast.EvaluatedSeries.Target;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.SupportingData.Series;

/**
 * One series forecast for one patient (CDSi chapter 7): its status and, when a dose is due, which
 * target dose and its dates. The dates stay those last computed when a later step ends the
 * forecast (a target dose skipped, then the series aged out), as the selection of the best series
 * reads them. Immutable.
 *
 * @param evaluated     the series evaluated, with the target doses the forecast skipped marked so
 * @param forecastIndex the target dose forecast, by index in {@code evaluated.targets()}; -1 when none
 * @param reasons       why there is no dose to forecast, when there is none
 */
record SeriesForecast(EvaluatedSeries evaluated, Status status, int forecastIndex, DueDates due, int doseNumber,
                      List<String> reasons) {

    /** CDSi 7.4 and 7.5: the dates of the target dose forecast; {@code priority} for the group (FORECASTVG). */
    record DueDates(LocalDate earliest, LocalDate recommended, LocalDate pastDue, LocalDate latest, boolean priority) {
        static final DueDates NONE = new DueDates(null, null, null, null, false);
    }

    Series series() {
        return evaluated.series();
    }

    LocalDate earliest() {
        return due.earliest();
    }

    Target forecastTarget() {
        return forecastIndex < 0 ? null : evaluated.targets().get(forecastIndex);
    }

    int validDoses() {
        return evaluated.validDoses();
    }

    boolean counts(int i) {
        return evaluated.counts(i);
    }

    boolean complete() {
        return status == Status.COMPLETE;
    }

    boolean inProcess() {
        return status == Status.NOT_COMPLETE && validDoses() > 0;
    }

    @Override
    public String toString() {
        return series().name() + " " + status;
    }
}
