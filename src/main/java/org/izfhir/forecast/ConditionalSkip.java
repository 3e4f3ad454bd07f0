package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.between;
import static org.izfhir.forecast.Dates.orFuture;
import static org.izfhir.forecast.Dates.orPast;

import java.time.LocalDate;
import java.util.Set;
import org.izfhir.forecast.EvaluatedSeries.AntigenDose;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;
import org.izfhir.forecast.SupportingData.Skip;
import org.izfhir.forecast.SupportingData.SkipCondition;
import org.izfhir.forecast.SupportingData.SkipSet;

/**
 * Whether a target dose may be skipped (CDSi 6.2 in evaluation, 7.1 and 7.6 in forecasting): its
 * skip sets, each met by all or any of its conditions (an age, an interval since the last dose, a
 * count of doses, another series of the antigen completed).
 */
final class ConditionalSkip {

    /** Whether another series of the antigen, in one of the series groups named, is complete. */
    @FunctionalInterface
    interface CompletedSeries {
        boolean anyComplete(Series asking, Set<String> seriesGroups);
    }

    private final AssessedPatient patient;
    private final CompletedSeries completed;

    ConditionalSkip(AssessedPatient patient, CompletedSeries completed) {
        this.patient = patient;
        this.completed = completed;
    }

    /**
     * Whether the target dose can be skipped on the date {@code ref}, counting the series' doses
     * before {@code limit}; {@code evaluation} tells the context (evaluation or forecast).
     */
    boolean canSkip(EvaluatedSeries s, SeriesDose target, LocalDate ref, int limit, boolean evaluation) {
        for (Skip skip : target.skips()) {
            if (skip.appliesTo(evaluation) && skipped(s, skip, ref, limit)) {
                return true;
            }
        }
        return false;
    }

    private boolean skipped(EvaluatedSeries s, Skip skip, LocalDate ref, int limit) {
        int considered = 0;
        int met = 0;
        for (SkipSet set : skip.sets()) {
            if (!set.period().includes(ref)) {
                continue;
            }
            considered++;
            int conditionsMet = 0;
            for (SkipCondition c : set.conditions()) {
                if (conditionMet(s, c, ref, limit)) {
                    conditionsMet++;
                }
            }
            boolean setMet = set.anyCondition() ? conditionsMet > 0 : conditionsMet == set.conditions().size();
            if (setMet) {
                met++;
            }
        }
        return considered > 0 && (skip.anySet() ? met > 0 : met == considered);
    }

    private boolean conditionMet(EvaluatedSeries s, SkipCondition c, LocalDate ref, int limit) {
        return switch (c.type()) {
            case AGE -> between(ref, orPast(patient.at(c.beginAge())), orFuture(patient.at(c.endAge())));
            case INTERVAL -> limit > 0 && !ref.isBefore(Offset.add(s.doses().get(limit - 1).date(), c.interval()));
            case COMPLETED_SERIES -> completed.anyComplete(s.series(), c.seriesGroups());
            case VACCINE_COUNT -> counted(s, c, limit);
        };
    }

    private boolean counted(EvaluatedSeries s, SkipCondition c, int limit) {
        LocalDate beginAge = orPast(patient.at(c.beginAge()));
        LocalDate endAge = orFuture(patient.at(c.endAge()));
        int count = 0;
        for (int j = 0; j < limit; j++) {
            AntigenDose d = s.doses().get(j);
            if ((c.vaccineTypes().isEmpty() || c.vaccineTypes().contains(d.cvx()))
                    && between(d.date(), beginAge, endAge)
                    && between(d.date(), orPast(c.startDate()), orFuture(c.endDate()))
                    && (!c.validOnly() || s.counts(j))) {
                count++;
            }
        }
        return switch (c.countLogic()) {
            case GREATER_THAN -> count > c.doseCount();
            case EQUAL_TO -> count == c.doseCount();
            case LESS_THAN -> count < c.doseCount();
        };
    }
}
