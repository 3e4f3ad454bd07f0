package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.latest;
import static org.izfhir.forecast.Dates.orFuture;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.izfhir.forecast.EvaluatedSeries.Target;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.SupportingData.Age;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesType;

/**
 * CDSi chapter 8: of an antigen's series forecasts, the best of each series group (8.2 to 8.4:
 * only series the patient can start or has begun, then a single one complete or in process, else
 * by the scoring tables), then across groups: a group another stands in for gives way when that
 * one is complete, and a standard series gives way to an equivalent risk series.
 */
final class BestSeriesSelector {

    private final AssessedPatient patient;

    BestSeriesSelector(AssessedPatient patient) {
        this.patient = patient;
    }

    List<SeriesForecast> selectBest(List<SeriesForecast> relevant) {
        Map<String, List<SeriesForecast>> byGroup = new LinkedHashMap<>();
        for (SeriesForecast ps : relevant) {
            byGroup.computeIfAbsent(ps.series().group(), k -> new ArrayList<>()).add(ps);
        }
        List<SeriesForecast> prioritized = new ArrayList<>();
        for (List<SeriesForecast> group : byGroup.values()) {
            SeriesForecast p = prioritize(group);
            if (p != null) {
                prioritized.add(p);
            }
        }
        List<SeriesForecast> best = new ArrayList<>();
        for (SeriesForecast p : prioritized) {
            if (p.complete()) {
                best.add(p);
                continue;
            }
            boolean equivalentComplete = false;
            boolean equivalentRisk = false;
            for (SeriesForecast o : prioritized) {
                if (o != p && p.series().equivalentGroups().contains(o.series().group())) {
                    equivalentComplete |= o.complete();
                    equivalentRisk |= o.series().type() == SeriesType.RISK;
                }
            }
            if (equivalentComplete || p.series().type() == SeriesType.EVALUATION_ONLY) {
                continue;
            }
            if (p.series().type() == SeriesType.RISK || !equivalentRisk) {
                best.add(p);
            }
        }
        return best;
    }

    /** The one series of a series group to go on with (8.2 to 8.4), or null when none can be. */
    private SeriesForecast prioritize(List<SeriesForecast> group) {
        // A series not yet begun is no path for a patient outside its ages to start.
        group = group.stream().filter(ps -> ps.validDoses() > 0 || canStart(ps.series())).toList();
        if (group.isEmpty()) {
            return null;
        }
        group = mostSpecificRisk(group);
        List<SeriesForecast> candidates = group.stream().filter(ps -> ps.status() != Status.CONTRAINDICATED).toList();
        if (candidates.isEmpty()) {
            candidates = group;
        }
        char topRisk = 'Z';
        boolean anyValid = false;
        boolean hasDefault = false;
        for (SeriesForecast ps : group) {
            if (ps.series().type() == SeriesType.RISK && ps.series().priority() < topRisk) {
                topRisk = ps.series().priority();
            }
            anyValid |= ps.validDoses() > 0;
            hasDefault |= ps.series().defaultSeries();
        }
        List<SeriesForecast> scorable = new ArrayList<>();
        for (SeriesForecast ps : candidates) {
            boolean scorableSeries = switch (ps.series().type()) {
                case RISK -> ps.series().priority() <= topRisk;
                case EVALUATION_ONLY -> ps.complete();
                case STANDARD -> (ps.validDoses() > 0 && ps.evaluated().firstValid()
                        .isBefore(orFuture(patient.at(ps.series().maxAgeToStart()))))
                        || (!anyValid && !hasDefault);
            };
            if (scorableSeries) {
                scorable.add(ps);
            }
        }
        SeriesForecast defaultSeries = group.stream().filter(ps -> ps.series().defaultSeries()).findFirst()
                .orElse(null);
        if (scorable.isEmpty()) {
            return defaultSeries;
        }
        if (scorable.size() == 1) {
            return scorable.get(0);
        }
        List<SeriesForecast> complete = scorable.stream().filter(SeriesForecast::complete).toList();
        List<SeriesForecast> inProcess = scorable.stream().filter(SeriesForecast::inProcess).toList();
        if (complete.size() == 1) {
            return complete.get(0);
        }
        if (complete.isEmpty() && inProcess.size() == 1) {
            return inProcess.get(0);
        }
        boolean noneValid = scorable.stream().noneMatch(ps -> ps.validDoses() > 0);
        if (noneValid && defaultSeries != null && scorable.stream().anyMatch(ps -> ps == defaultSeries)) {
            return defaultSeries;
        }
        List<SeriesForecast> scored = complete.size() >= 2 ? complete : !inProcess.isEmpty() ? inProcess : scorable;
        return highestScore(scored, score(scored, complete.size() >= 2, !inProcess.isEmpty()));
    }

    /** Tables 8-5 to 8-7: complete series, series in process, series not begun. */
    private int[] score(List<SeriesForecast> scored, boolean complete, boolean inProcess) {
        int[] score = new int[scored.size()];
        if (complete) {
            award(score, scored, SeriesForecast::validDoses, 1, 0, -1);
        } else if (inProcess) {
            for (int i = 0; i < scored.size(); i++) {
                SeriesForecast ps = scored.get(i);
                score[i] += ps.series().productPath() && ps.evaluated().allEvaluationsValid() ? 2 : -2;
                score[i] += completable(ps) ? 3 : -3;
            }
            award(score, scored, SeriesForecast::validDoses, 2, 0, -2);
            award(score, scored, ps -> -ps.evaluated().notSatisfied(), 2, 0, -2);
            awardFinishEarliest(score, scored);
        } else {
            award(score, scored, ps -> ps.earliest() == null ? Integer.MIN_VALUE : -(int) ps.earliest().toEpochDay(),
                    1, 0, -1);
            for (int i = 0; i < scored.size(); i++) {
                score[i] += completable(scored.get(i)) ? 1 : -1;
                score[i] += scored.get(i).series().productPath() ? -1 : 1;
            }
        }
        return score;
    }

    /** The highest score; of those tied, the series the data prefers. */
    private static SeriesForecast highestScore(List<SeriesForecast> scored, int[] score) {
        SeriesForecast chosen = null;
        int top = Integer.MIN_VALUE;
        for (int i = 0; i < scored.size(); i++) {
            SeriesForecast ps = scored.get(i);
            if (score[i] > top || (score[i] == top && ps.series().preference() < chosen.series().preference())) {
                top = score[i];
                chosen = ps;
            }
        }
        return chosen;
    }

    /**
     * A risk series not begun and with no ages to start gives way to one whose indication
     * applies to the patient from a later age: the series written for the patient's age. Not in
     * the logic specification, which leaves that to ages to start; the data does not always
     * give them: the meningococcal 2–23 month series has none, so an adult with asplenia would
     * be handed the infant schedule over the 2-dose series his indication begins with at 2
     * years (CDC's cases 2016-UC-0123, 0128, 0129, 0198 expect the adult series, as ACIP does).
     * Series with ages to start are left to the scoring (CDC's 2016-UC-0089 expects the
     * all-ages Japanese encephalitis series for an adult, not the 18–65-year one).
     */
    private List<SeriesForecast> mostSpecificRisk(List<SeriesForecast> group) {
        LocalDate latest = group.stream().filter(ps -> ps.series().type() == SeriesType.RISK)
                .map(ps -> patient.indicatedSince(ps.series())).max(LocalDate::compareTo).orElse(null);
        return group.stream().filter(ps -> ps.series().type() != SeriesType.RISK
                || ps.validDoses() > 0 || ps.series().minAgeToStart() != null || ps.series().maxAgeToStart() != null
                || patient.indicatedSince(ps.series()).equals(latest)).toList();
    }

    private boolean canStart(Series s) {
        LocalDate asOf = patient.asOf();
        return (s.minAgeToStart() == null || !asOf.isBefore(patient.at(s.minAgeToStart())))
                && (s.type() != SeriesType.RISK || s.maxAgeToStart() == null
                        || asOf.isBefore(patient.at(s.maxAgeToStart())));
    }

    /** Points for the series with the highest value: one alone, several tied, the others. */
    private static void award(int[] score, List<SeriesForecast> scored, ToIntFunction<SeriesForecast> value,
                              int alone, int tied, int others) {
        int max = Integer.MIN_VALUE;
        int count = 0;
        for (SeriesForecast ps : scored) {
            int v = value.applyAsInt(ps);
            if (v > max) {
                max = v;
                count = 1;
            } else if (v == max) {
                count++;
            }
        }
        for (int i = 0; i < scored.size(); i++) {
            score[i] += value.applyAsInt(scored.get(i)) == max ? (count == 1 ? alone : tied) : others;
        }
    }

    private void awardFinishEarliest(int[] score, List<SeriesForecast> scored) {
        LocalDate first = null;
        int count = 0;
        for (SeriesForecast ps : scored) {
            LocalDate f = completable(ps) ? finish(ps) : null;
            if (f == null) {
                continue;
            }
            if (first == null || f.isBefore(first)) {
                first = f;
                count = 1;
            } else if (f.equals(first)) {
                count++;
            }
        }
        for (int i = 0; i < scored.size(); i++) {
            LocalDate f = completable(scored.get(i)) ? finish(scored.get(i)) : null;
            score[i] += f != null && f.equals(first) ? (count == 1 ? 1 : 0) : -1;
        }
    }

    /** SELECTB-12: the forecast's earliest date plus the longest minimum interval still to come. */
    private static LocalDate finish(SeriesForecast ps) {
        if (ps.earliest() == null) {
            return null;
        }
        LocalDate finish = ps.earliest();
        List<Target> targets = ps.evaluated().targets();
        for (int t = ps.forecastIndex() + 1; ps.forecastIndex() >= 0 && t < targets.size(); t++) {
            for (Interval interval : targets.get(t).dose().intervals()) {
                if (interval.fromPrevious()) {
                    finish = latest(finish, Offset.add(ps.earliest(), interval.min()));
                }
            }
        }
        return finish;
    }

    /** SELECTB-3: the series can be finished before the last dose's maximum age. */
    private boolean completable(SeriesForecast ps) {
        LocalDate finish = finish(ps);
        if (finish == null) {
            return false;
        }
        List<Target> targets = ps.evaluated().targets();
        Age last = targets.get(targets.size() - 1).dose().ageOn(patient.asOf());
        LocalDate max = last == null ? null : patient.at(last.max());
        return max == null || finish.isBefore(max);
    }
}
