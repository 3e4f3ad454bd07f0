package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.latest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.izfhir.forecast.Assessment.Dose;
import org.izfhir.forecast.EvaluatedSeries.Target;
import org.izfhir.forecast.EvaluatedSeries.TargetStatus;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.SeriesForecast.DueDates;
import org.izfhir.forecast.SupportingData.Age;
import org.izfhir.forecast.SupportingData.Antigen;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.LiveVirusConflict;
import org.izfhir.forecast.SupportingData.SeriesDose;
import org.izfhir.forecast.SupportingData.Vaccine;

/**
 * CDSi chapter 7: what an evaluated series asks for next. The target doses that may be skipped
 * are (7.1); then evidence of immunity (7.2) or a contraindication (7.3) ends the series; else the
 * next target dose's dates (7.4, 7.5), unless the series can no longer be finished in its ages or
 * season, or that dose would be skipped by the time it is due (7.6).
 */
final class SeriesForecaster {

    private final SupportingData data;
    private final AssessedPatient patient;
    private final Map<String, List<LiveVirusConflict>> conflictsByCurrent;
    private final ConditionalSkip skip;

    SeriesForecaster(SupportingData data, AssessedPatient patient,
                     Map<String, List<LiveVirusConflict>> conflictsByCurrent, ConditionalSkip skip) {
        this.data = data;
        this.patient = patient;
        this.conflictsByCurrent = conflictsByCurrent;
        this.skip = skip;
    }

    /** The due dates of a target dose, or why the series stops there. */
    private record Dated(DueDates due, Status stop, String reason) {
    }

    SeriesForecast forecast(EvaluatedSeries evaluated) {
        Antigen antigen = data.antigens().get(evaluated.series().antigen());
        EvaluatedSeries s = evaluated; // then with the target doses this forecast skips
        int all = s.doses().size();
        int t = evaluated.nextTarget();
        DueDates due = DueDates.NONE;
        while (true) {
            while (t < s.targets().size() && skip.canSkip(s, s.targets().get(t).dose(), patient.asOf(), all, false)) {
                s = skipped(s, evaluated, t++);
            }
            if (t >= s.targets().size()) {
                return stopped(s, Status.COMPLETE, "Patient series is complete", due);
            }
            if (patient.immune(antigen)) {
                return stopped(s, Status.IMMUNE, "Patient has evidence of immunity", due);
            }
            if (patient.contraindicated(antigen)) {
                return stopped(s, Status.CONTRAINDICATED, "Patient has a contraindication", due);
            }
            SeriesDose target = s.targets().get(t).dose();
            Dated dated = dates(s, target);
            if (dated.stop() != null) {
                return stopped(s, dated.stop(), dated.reason(), due);
            }
            due = dated.due();
            // 7.6: would the target dose be skipped by the time it is due?
            if (skip.canSkip(s, target, due.earliest(), all, false)) {
                s = skipped(s, evaluated, t++);
                continue;
            }
            return new SeriesForecast(s, Status.NOT_COMPLETE, t, due, doseNumber(s.targets()), List.of());
        }
    }

    /** The series with target dose {@code t} skipped; the evaluated series is copied the first time, never changed. */
    private static EvaluatedSeries skipped(EvaluatedSeries s, EvaluatedSeries evaluated, int t) {
        if (s == evaluated) {
            s = new EvaluatedSeries(s.series(), s.doses(), s.evaluations(), new ArrayList<>(s.targets()));
        }
        s.targets().set(t, s.targets().get(t).skipped());
        return s;
    }

    private static SeriesForecast stopped(EvaluatedSeries s, Status status, String reason, DueDates due) {
        return new SeriesForecast(s, status, -1, due, 0, List.of(reason));
    }

    /** CDSi 7.4 and 7.5. */
    private Dated dates(EvaluatedSeries s, SeriesDose sd) {
        LocalDate asOf = patient.asOf();
        Age age = sd.ageOn(asOf);
        LocalDate minAge = age == null ? null : patient.at(age.min());
        LocalDate earliestRecAge = age == null ? null : patient.at(age.earliestRec());
        LocalDate latestRecAge = age == null ? null : patient.at(age.latestRec());
        LocalDate maxAge = age == null ? null : patient.at(age.max());

        int all = s.doses().size();
        LocalDate minInterval = null;
        LocalDate earliestRecInterval = null;
        LocalDate latestRecInterval = null;
        boolean priority = !sd.intervals().isEmpty();
        for (Interval interval : sd.intervals()) {
            if (!interval.period().includes(asOf)) {
                continue;
            }
            priority &= interval.priority();
            LocalDate ref = patient.intervalReference(s, interval, all, null);
            if (ref == null) {
                continue;
            }
            minInterval = latest(minInterval, Offset.add(ref, interval.min()));
            earliestRecInterval = latest(earliestRecInterval, Offset.add(ref, interval.earliestRec()));
            latestRecInterval = latest(latestRecInterval, Offset.add(ref, interval.latestRec()));
        }
        LocalDate earliest = latest(minAge, minInterval);
        earliest = latest(earliest, conflictEnd(sd));
        earliest = latest(earliest, sd.seasonStart());
        for (int i = 0; i < all; i++) {
            if (s.evaluations().get(i).target() != null) {
                earliest = latest(earliest, s.doses().get(i).date());
            }
        }
        if (earliest == null) {
            earliest = patient.dob();
        }
        if (maxAge != null && (!asOf.isBefore(maxAge) || !earliest.isBefore(maxAge))) {
            return new Dated(null, Status.AGED_OUT, !asOf.isBefore(maxAge) ? "Patient has exceeded the maximum age"
                    : "Patient is unable to finish the series prior to the maximum age");
        }
        if (sd.seasonEnd() != null && asOf.isAfter(sd.seasonEnd())) {
            return new Dated(null, Status.NOT_RECOMMENDED, "Past seasonal recommendation end date");
        }
        LocalDate recommended = earliestRecAge != null ? earliestRecAge
                : earliestRecInterval != null ? earliestRecInterval : earliest;
        LocalDate pastDue = latestRecAge != null ? latestRecAge.minusDays(1)
                : latestRecInterval != null ? latestRecInterval.minusDays(1) : null;
        return new Dated(new DueDates(earliest, latest(earliest, recommended),
                pastDue == null ? null : latest(earliest, pastDue), maxAge == null ? null : maxAge.minusDays(1),
                priority), null, null);
    }

    /** CALCDTCONFLICT-3: the latest end of a live virus conflict with the vaccines the dose prefers. */
    private LocalDate conflictEnd(SeriesDose sd) {
        LocalDate end = null;
        for (Vaccine v : sd.preferable()) {
            for (LiveVirusConflict c : conflictsByCurrent.getOrDefault(v.cvx(), List.of())) {
                for (Dose d : patient.doses()) {
                    if (d.cvx().equals(c.previousCvx()) && !d.date().isAfter(patient.asOf())) {
                        end = latest(end, Offset.add(d.date(), c.end()));
                    }
                }
            }
        }
        return end;
    }

    /** The dose number forecast: the target doses satisfied (in the season, for a seasonal one), plus one. */
    private static int doseNumber(List<Target> targets) {
        int n = 0;
        for (Target t : targets) {
            if (t.status() == TargetStatus.SATISFIED
                    && (t.dose().seasonStart() == null || !t.satisfiedBy().date().isBefore(t.dose().seasonStart()))) {
                n++;
            }
        }
        return n + 1;
    }
}
