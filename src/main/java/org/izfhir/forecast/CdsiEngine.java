package org.izfhir.forecast;

import java.util.ArrayList;
import java.util.HashMap;
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
    private final Map<String, String> groupOfAntigen;

    public CdsiEngine(SupportingData data) {
        this.data = data;
        Map<String, List<LiveVirusConflict>> conflicts = new HashMap<>();
        for (LiveVirusConflict c : data.conflicts()) {
            conflicts.computeIfAbsent(c.currentCvx(), k -> new ArrayList<>()).add(c);
        }
        this.conflictsByCurrent = conflicts; // never written from here on
        this.groupOfAntigen = VaccineGroupForecaster.groupOfAntigen(data);
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
        SeriesForecasts series = new SeriesForecasts(patient);
        BestSeriesSelector selector = new BestSeriesSelector(patient);
        Map<String, List<SeriesForecast>> forecasts = new LinkedHashMap<>();
        Map<String, List<SeriesForecast>> best = new LinkedHashMap<>();
        for (Map.Entry<String, AntigenSeries> e : series.byAntigen.entrySet()) {
            AntigenSeries antigen = e.getValue();
            List<SeriesForecast> antigenForecasts = new ArrayList<>(antigen.relevant.size());
            for (int i = 0; i < antigen.relevant.size(); i++) {
                antigenForecasts.add(series.of(antigen, i));
            }
            forecasts.put(e.getKey(), antigenForecasts);
            best.put(e.getKey(), selector.selectBest(antigenForecasts));
        }
        return new VaccineGroupForecaster(data, groupOfAntigen, patient).forecast(forecasts, best);
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
        /** Per antigen (in the supporting data's order), its series relevant to the patient (chapter 5). */
        final Map<String, AntigenSeries> byAntigen = new LinkedHashMap<>();
        private final SeriesEvaluator evaluator;
        private final SeriesForecaster forecaster;

        SeriesForecasts(AssessedPatient patient) {
            for (Antigen antigen : data.antigens().values()) {
                List<Series> relevant = new ArrayList<>();
                for (Series s : antigen.series()) {
                    if (patient.relevant(s)) {
                        relevant.add(s);
                    }
                }
                byAntigen.put(antigen.name(), new AntigenSeries(relevant));
            }
            ConditionalSkip skip = new ConditionalSkip(patient, this);
            this.evaluator = new SeriesEvaluator(patient, conflictsByCurrent, skip);
            this.forecaster = new SeriesForecaster(data, patient, conflictsByCurrent, skip);
        }

        /** The antigen's {@code i}-th relevant series, evaluated and forecast; null while that is under way. */
        SeriesForecast of(AntigenSeries antigen, int i) {
            if (antigen.done[i] == null && !antigen.underWay[i]) {
                antigen.underWay[i] = true;
                antigen.done[i] = forecaster.forecast(evaluator.evaluate(antigen.relevant.get(i)));
            }
            return antigen.done[i];
        }

        @Override
        public boolean anyComplete(Series asking, Set<String> seriesGroups) {
            AntigenSeries antigen = byAntigen.get(asking.antigen());
            for (int i = 0; i < antigen.relevant.size(); i++) {
                Series other = antigen.relevant.get(i);
                if (other != asking && seriesGroups.contains(other.group())) {
                    SeriesForecast f = of(antigen, i);
                    if (f != null && f.complete()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** An antigen's relevant series, and each one's forecast once made. */
    private static final class AntigenSeries {
        final List<Series> relevant;
        final SeriesForecast[] done;
        final boolean[] underWay;

        AntigenSeries(List<Series> relevant) {
            this.relevant = relevant;
            this.done = new SeriesForecast[relevant.size()];
            this.underWay = new boolean[relevant.size()];
        }
    }
}
