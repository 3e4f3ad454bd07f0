package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.List;
import org.izfhir.forecast.Forecast.EvaluationStatus;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;

/**
 * One antigen series as it applies to one patient, evaluated (CDSi chapter 6): each of the
 * antigen's doses evaluated against the series' target doses, and what became of each target
 * dose. {@link SeriesEvaluator} returns it whole; while it works, the chapters it consults see it
 * as evaluated so far (an evaluation not made yet is null). Once returned it is not changed: a
 * later stage that changes what it holds (the forecast skipping a target dose) makes a new one.
 *
 * <p>Its lists, like every list the chapters make for one patient, are ArrayLists that only the
 * stage making them writes, until it returns them. They are not wrapped nor copied into the JDK's
 * immutable lists: with several list classes the engine's hot loops make megamorphic calls, and
 * the forecast of a 20-dose history was 1.5 times slower (JMH, {@code CdsiForecastBenchmark}).
 *
 * @param doses       the antigen's doses, by date
 * @param evaluations each dose's evaluation, by the same index
 * @param targets     the series' target doses (a recurring one repeated as it is satisfied)
 */
record EvaluatedSeries(Series series, List<AntigenDose> doses, List<Evaluation> evaluations, List<Target> targets) {

    /** A dose administered, as one antigen's record (CDSi 4.2); {@code index} is the patient's dose. */
    record AntigenDose(int index, Assessment.Dose dose) {
        LocalDate date() {
            return dose.date();
        }

        String cvx() {
            return dose.cvx();
        }
    }

    /** @param target the target dose evaluated against; null when none was left (extraneous, series complete) */
    record Evaluation(EvaluationStatus status, String reason, SeriesDose target, boolean inadvertent) {
        boolean countsAsPrevious() {
            return !inadvertent && (status == EvaluationStatus.VALID || status == EvaluationStatus.NOT_VALID);
        }
    }

    enum TargetStatus { NOT_SATISFIED, SATISFIED, SKIPPED }

    /** A target dose of the series and what became of it. */
    record Target(SeriesDose dose, TargetStatus status, AntigenDose satisfiedBy) {
        Target(SeriesDose dose) {
            this(dose, TargetStatus.NOT_SATISFIED, null);
        }

        Target satisfied(AntigenDose by) {
            return new Target(dose, TargetStatus.SATISFIED, by);
        }

        Target skipped() {
            return new Target(dose, TargetStatus.SKIPPED, null);
        }
    }

    int validDoses() {
        return count(TargetStatus.SATISFIED);
    }

    int notSatisfied() {
        return count(TargetStatus.NOT_SATISFIED);
    }

    private int count(TargetStatus status) {
        int n = 0;
        for (Target t : targets) {
            if (t.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** The first target dose not satisfied nor skipped (the one to forecast), or the number of targets. */
    int nextTarget() {
        int t = 0;
        while (t < targets.size() && targets.get(t).status() != TargetStatus.NOT_SATISFIED) {
            t++;
        }
        return t;
    }

    /** Whether this series counts its {@code i}-th dose. */
    boolean counts(int i) {
        Evaluation e = evaluations.get(i);
        return e != null && e.status() == EvaluationStatus.VALID;
    }

    /** Date of the first dose evaluated valid, or null. */
    LocalDate firstValid() {
        for (int i = 0; i < doses.size(); i++) {
            if (counts(i)) {
                return doses.get(i).date();
            }
        }
        return null;
    }

    boolean allEvaluationsValid() {
        for (Evaluation e : evaluations) {
            if (e != null && e.target() != null && e.status() != EvaluationStatus.VALID) {
                return false;
            }
        }
        return true;
    }

    /** The evaluation of the patient's dose {@code patientDoseIndex}; null if not this antigen's, or not made yet. */
    Evaluation evaluationOf(int patientDoseIndex) {
        for (int i = 0; i < doses.size(); i++) {
            if (doses.get(i).index() == patientDoseIndex) {
                return evaluations.get(i);
            }
        }
        return null;
    }
}
