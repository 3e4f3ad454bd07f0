package org.izfhir.forecast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.izfhir.forecast.SupportingData.Antigen;
import org.izfhir.forecast.SupportingData.LiveVirusConflict;
import org.izfhir.forecast.SupportingData.Series;

/**
 * CDC's CDSi logic (Logic Specification for ACIP Recommendations v4.6), as the specification's
 * chapters: the patient's data gathered (chapter 4, {@link AssessedPatient}), the series relevant
 * to them (5), each series evaluated (6, {@link SeriesEvaluator}) and forecast (7,
 * {@link SeriesForecaster}), the best series per antigen (8, {@link BestSeriesSelector}) and one
 * forecast per vaccine group (9, {@link VaccineGroupForecaster}). Each stage returns an immutable
 * value. Thread-safe: the supporting data is immutable and each call keeps its own state.
 */
public final class CdsiEngine {

    private final SupportingData data;
    private final Map<String, List<LiveVirusConflict>> conflictsByCurrent;

    public CdsiEngine(SupportingData data) {
        this.data = data;
        Map<String, List<LiveVirusConflict>> conflicts = new HashMap<>();
        for (LiveVirusConflict c : data.conflicts()) {
            conflicts.computeIfAbsent(c.currentCvx(), k -> new ArrayList<>()).add(c);
        }
        this.conflictsByCurrent = conflicts; // never written from here on
    }

    public SupportingData data() {
        return data;
    }

    /** Whether the supporting data knows the CVX (maps it to at least one antigen). */
    public boolean knows(String cvx) {
        return data.cvxAntigens().containsKey(normalize(cvx));
    }

    public Forecast forecast(Assessment in) {
        AssessedPatient patient = AssessedPatient.organize(in, data);
        Map<String, List<Series>> relevant = new LinkedHashMap<>();
        for (Antigen antigen : data.antigens().values()) {
            List<Series> series = new ArrayList<>();
            for (Series s : antigen.series()) {
                if (patient.relevant(s)) {
                    series.add(s);
                }
            }
            relevant.put(antigen.name(), series);
        }
        SeriesForecasts series = new SeriesForecasts(patient, relevant);
        BestSeriesSelector selector = new BestSeriesSelector(patient);
        Map<String, List<SeriesForecast>> forecasts = new LinkedHashMap<>();
        Map<String, List<SeriesForecast>> best = new LinkedHashMap<>();
        for (Map.Entry<String, List<Series>> e : relevant.entrySet()) {
            List<SeriesForecast> antigenForecasts = new ArrayList<>();
            for (Series s : e.getValue()) {
                antigenForecasts.add(series.of(s));
            }
            forecasts.put(e.getKey(), antigenForecasts);
            best.put(e.getKey(), selector.selectBest(antigenForecasts));
        }
        return new VaccineGroupForecaster(data, patient).forecast(forecasts, best);
    }

    static String normalize(String cvx) {
        String c = cvx == null ? "" : cvx.trim();
        return c.length() == 1 ? "0" + c : c;
    }

    /**
     * Chapters 6 and 7 for one patient, each series once: a skip condition that asks whether
     * another series of the antigen is complete has that series evaluated and forecast first. A
     * series asked about while its own evaluation is under way counts as not complete.
     */
    private final class SeriesForecasts implements ConditionalSkip.CompletedSeries {
        private final Map<String, List<Series>> relevant;
        private final SeriesEvaluator evaluator;
        private final SeriesForecaster forecaster;
        private final Map<Series, SeriesForecast> done = new IdentityHashMap<>();
        private final Set<Series> underWay = Collections.newSetFromMap(new IdentityHashMap<>());

        SeriesForecasts(AssessedPatient patient, Map<String, List<Series>> relevant) {
            this.relevant = relevant;
            ConditionalSkip skip = new ConditionalSkip(patient, this);
            this.evaluator = new SeriesEvaluator(patient, conflictsByCurrent, skip);
            this.forecaster = new SeriesForecaster(data, patient, conflictsByCurrent, skip);
        }

        SeriesForecast of(Series s) {
            SeriesForecast f = done.get(s);
            if (f == null && underWay.add(s)) {
                f = forecaster.forecast(evaluator.evaluate(s));
                done.put(s, f);
            }
            return f;
        }

        @Override
        public boolean anyComplete(Series asking, Set<String> seriesGroups) {
            for (Series other : relevant.get(asking.antigen())) {
                if (other != asking && seriesGroups.contains(other.group())) {
                    SeriesForecast f = of(other);
                    if (f != null && f.complete()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
