package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.between;
import static org.izfhir.forecast.Dates.orFuture;
import static org.izfhir.forecast.Dates.orPast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.izfhir.forecast.Assessment.Dose;
import org.izfhir.forecast.EvaluatedSeries.AntigenDose;
import org.izfhir.forecast.EvaluatedSeries.Evaluation;
import org.izfhir.forecast.EvaluatedSeries.Target;
import org.izfhir.forecast.Forecast.EvaluationStatus;
import org.izfhir.forecast.SupportingData.Age;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.LiveVirusConflict;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;
import org.izfhir.forecast.SupportingData.Vaccine;

/**
 * CDSi chapter 6: each of the antigen's doses, by date, evaluated against the series' next target
 * dose (after the targets it may skip): inadvertent vaccine, age, intervals (preferable, then
 * allowable), live virus conflicts, and preferable or allowable vaccine. A valid dose satisfies
 * its target; a dose with no target left is extraneous.
 */
final class SeriesEvaluator {

    static final String TOO_YOUNG = "Age: Too Young";
    static final String TOO_OLD = "Age: Too Old";
    static final String TOO_SOON = "Interval: Too Soon";
    static final String INADVERTENT = "Inadvertent Vaccine";
    static final String CONFLICT = "Live Virus Conflict";
    static final String NOT_PREFERABLE_OR_ALLOWABLE = "Not a preferable or allowable vaccine";
    static final String SERIES_COMPLETE = "Series Already Complete";
    static final String GRACE = "Grace Period";

    private final AssessedPatient patient;
    private final Map<String, List<LiveVirusConflict>> conflictsByCurrent;
    private final ConditionalSkip skip;

    SeriesEvaluator(AssessedPatient patient, Map<String, List<LiveVirusConflict>> conflictsByCurrent,
                    ConditionalSkip skip) {
        this.patient = patient;
        this.conflictsByCurrent = conflictsByCurrent;
        this.skip = skip;
    }

    EvaluatedSeries evaluate(Series series) {
        List<AntigenDose> doses = patient.dosesOf(series.antigen());
        List<Evaluation> evaluations = new ArrayList<>(doses.size());
        for (int i = 0; i < doses.size(); i++) {
            evaluations.add(null); // not evaluated yet
        }
        List<Target> targets = new ArrayList<>(series.doses().size());
        for (SeriesDose d : series.doses()) {
            targets.add(new Target(d));
        }
        EvaluatedSeries sofar = new EvaluatedSeries(series, doses, evaluations, targets);
        int t = 0;
        for (int i = 0; i < doses.size(); i++) {
            AntigenDose d = doses.get(i);
            while (t < targets.size() && skip.canSkip(sofar, targets.get(t).dose(), d.date(), i, true)) {
                targets.set(t, targets.get(t).skipped());
                t++;
            }
            if (t >= targets.size()) {
                evaluations.set(i, new Evaluation(EvaluationStatus.EXTRANEOUS, SERIES_COMPLETE, null, false));
                continue;
            }
            SeriesDose target = targets.get(t).dose();
            Evaluation e = evaluate(sofar, target, i);
            evaluations.set(i, e);
            if (e.status() == EvaluationStatus.VALID) {
                targets.set(t, targets.get(t).satisfied(d));
                if (target.recurring()) {
                    targets.add(t + 1, new Target(target));
                }
                t++;
            }
        }
        return sofar; // nothing writes its lists from here on
    }

    private Evaluation evaluate(EvaluatedSeries s, SeriesDose target, int i) {
        AntigenDose d = s.doses().get(i);
        LocalDate date = d.date();
        if (target.inadvertent().contains(d.cvx())) {
            return new Evaluation(EvaluationStatus.NOT_VALID, INADVERTENT, target, true);
        }
        String reason = null;
        boolean grace = false; // valid, but only by the 4-day grace period
        Age age = target.ageOn(date);
        if (age != null) {
            if (!date.isBefore(orFuture(patient.at(age.max())))) {
                return new Evaluation(EvaluationStatus.EXTRANEOUS, TOO_OLD, target, false);
            }
            if (date.isBefore(orPast(patient.at(age.absMin())))) {
                reason = TOO_YOUNG;
            } else {
                grace = date.isBefore(orPast(patient.at(age.min())));
            }
        }
        boolean preferableIntervals = true;
        for (Interval interval : target.intervals()) {
            if (tooSoon(s, interval, i, date)) {
                preferableIntervals = false;
            } else if (interval.period().includes(date)) {
                LocalDate ref = patient.intervalReference(s, interval, i, date);
                grace |= ref != null && date.isBefore(orPast(Offset.add(ref, interval.min())));
            }
        }
        // Without allowable intervals, the allowable path cannot validate a dose (CDSi 6.6).
        boolean allowableIntervals = !preferableIntervals && !target.allowableIntervals().isEmpty()
                && target.allowableIntervals().stream().noneMatch(interval -> tooSoon(s, interval, i, date));
        if (reason == null && !preferableIntervals && !allowableIntervals) {
            reason = TOO_SOON;
        }
        if (reason == null && withinConflict(s, d)) {
            reason = CONFLICT;
        }
        if (reason == null && !matches(target.preferable(), d, true) && !matches(target.allowable(), d, false)) {
            reason = NOT_PREFERABLE_OR_ALLOWABLE;
        }
        return reason == null
                ? new Evaluation(EvaluationStatus.VALID, grace ? GRACE : null, target, false)
                : new Evaluation(EvaluationStatus.NOT_VALID, reason, target, false);
    }

    /** Is the dose before the interval's absolute minimum (when the interval applies and has a reference)? */
    private boolean tooSoon(EvaluatedSeries s, Interval interval, int i, LocalDate date) {
        if (!interval.period().includes(date)) {
            return false;
        }
        LocalDate ref = patient.intervalReference(s, interval, i, date);
        return ref != null && date.isBefore(orPast(Offset.add(ref, interval.absMin())));
    }

    private boolean matches(List<Vaccine> vaccines, AntigenDose d, boolean checkMvx) {
        for (Vaccine v : vaccines) {
            if (v.cvx().equals(d.cvx()) && between(d.date(), patient.at(v.beginAge()), patient.at(v.endAge()))
                    && (!checkMvx || v.mvx() == null || d.dose().mvx() == null || d.dose().mvx().isBlank()
                            || v.mvx().equalsIgnoreCase(d.dose().mvx()))) {
                return true;
            }
        }
        return false;
    }

    /** CDSi 6.7: is the dose within a live virus conflict window of an earlier dose? */
    private boolean withinConflict(EvaluatedSeries s, AntigenDose current) {
        List<LiveVirusConflict> conflicts = conflictsByCurrent.get(current.cvx());
        if (conflicts == null) {
            return false;
        }
        List<Dose> doses = patient.doses();
        for (LiveVirusConflict c : conflicts) {
            for (int j = 0; j < doses.size(); j++) {
                Dose previous = doses.get(j);
                if (!previous.cvx().equals(c.previousCvx()) || !previous.date().isBefore(current.date())) {
                    continue;
                }
                Evaluation pe = s.evaluationOf(j);
                boolean valid = pe == null || pe.status() == EvaluationStatus.VALID;
                LocalDate begin = Offset.add(previous.date(), c.begin());
                LocalDate end = Offset.add(previous.date(), valid ? c.minEnd() : c.end());
                if (!current.date().isBefore(begin) && current.date().isBefore(end)) {
                    return true;
                }
            }
        }
        return false;
    }
}
