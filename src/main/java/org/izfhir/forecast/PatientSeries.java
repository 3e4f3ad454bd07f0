package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.izfhir.forecast.Forecast.EvaluationStatus;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;

/** One antigen series as it applies to one patient: its target doses, evaluations and forecast. */
final class PatientSeries {

    enum TargetStatus { NOT_SATISFIED, SATISFIED, SKIPPED }

    static final class Target {
        final SeriesDose dose;
        TargetStatus status = TargetStatus.NOT_SATISFIED;
        AntigenDose satisfiedBy;

        Target(SeriesDose dose) {
            this.dose = dose;
        }
    }

    /** A dose administered, as one antigen's record (CDSi 4.2). */
    record AntigenDose(int index, Assessment.Dose dose) {
        LocalDate date() {
            return dose.date();
        }

        String cvx() {
            return dose.cvx();
        }
    }

    record Evaluation(EvaluationStatus status, String reason, Target target, boolean inadvertent) {
        boolean countsAsPrevious() {
            return !inadvertent && (status == EvaluationStatus.VALID || status == EvaluationStatus.NOT_VALID);
        }
    }

    final Series series;
    final List<AntigenDose> doses;
    final List<Target> targets = new ArrayList<>();
    final Evaluation[] evaluations;

    /** The forecast (CDSi 7). */
    Status status;
    Target forecastTarget;
    LocalDate earliest;
    LocalDate recommended;
    LocalDate pastDue;
    LocalDate latest;
    boolean priorityForecast;
    int doseNumber;
    final List<String> reasons = new ArrayList<>();

    PatientSeries(Series series, List<AntigenDose> doses) {
        this.series = series;
        this.doses = doses;
        this.evaluations = new Evaluation[doses.size()];
        series.doses().forEach(d -> targets.add(new Target(d)));
    }

    int validDoses() {
        int n = 0;
        for (Target t : targets) {
            if (t.status == TargetStatus.SATISFIED) {
                n++;
            }
        }
        return n;
    }

    int notSatisfied() {
        int n = 0;
        for (Target t : targets) {
            if (t.status == TargetStatus.NOT_SATISFIED) {
                n++;
            }
        }
        return n;
    }

    /** Whether this series counts its {@code i}-th dose. */
    boolean counts(int i) {
        return evaluations[i] != null && evaluations[i].status() == EvaluationStatus.VALID;
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

    Evaluation evaluationOf(int patientDoseIndex) {
        for (int i = 0; i < doses.size(); i++) {
            if (doses.get(i).index() == patientDoseIndex) {
                return evaluations[i];
            }
        }
        return null;
    }

    boolean complete() {
        return status == Status.COMPLETE;
    }

    boolean inProcess() {
        return status == Status.NOT_COMPLETE && validDoses() > 0;
    }

    @Override
    public String toString() {
        return series.name() + " " + status;
    }
}
