package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.between;
import static org.izfhir.forecast.Dates.latest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.izfhir.forecast.EvaluatedSeries.AntigenDose;
import org.izfhir.forecast.EvaluatedSeries.Evaluation;
import org.izfhir.forecast.Forecast.DoseEvaluation;
import org.izfhir.forecast.Forecast.EvaluationStatus;
import org.izfhir.forecast.Forecast.GroupForecast;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.SupportingData.SeriesType;
import org.izfhir.forecast.SupportingData.Vaccine;
import org.izfhir.forecast.SupportingData.VaccineGroup;

/**
 * CDSi chapter 9: one forecast per vaccine group from the best series of its antigens (their
 * status by table 9-4, dates and vaccines blended per FORECASTVG), and each dose's evaluation as
 * the series behind its group's forecast gives it.
 */
final class VaccineGroupForecaster {

    private final SupportingData data;
    private final Map<String, String> groupOfAntigen;
    private final AssessedPatient patient;

    /** @param groupOfAntigen each antigen's vaccine group, as {@link #groupOfAntigen(SupportingData)} gives it */
    VaccineGroupForecaster(SupportingData data, Map<String, String> groupOfAntigen, AssessedPatient patient) {
        this.data = data;
        this.groupOfAntigen = groupOfAntigen;
        this.patient = patient;
    }

    /** Each antigen's vaccine group (the first that names it): the supporting data's, made once per engine. */
    static Map<String, String> groupOfAntigen(SupportingData data) {
        Map<String, String> groupOf = new HashMap<>();
        data.vaccineGroups().values().forEach(g -> g.antigens().forEach(a -> groupOf.putIfAbsent(a, g.name())));
        return Map.copyOf(groupOf);
    }

    /**
     * @param relevant per antigen, every relevant series forecast
     * @param best     per antigen, the best series (chapter 8)
     */
    Forecast forecast(Map<String, List<SeriesForecast>> relevant, Map<String, List<SeriesForecast>> best) {
        Map<String, SeriesForecast> evaluatedBy = new HashMap<>();
        List<GroupForecast> groups = new ArrayList<>();
        for (VaccineGroup g : data.vaccineGroups().values()) {
            Lead lead = lead(g, best);
            if (lead != null) {
                lead.series().forEach(ps -> evaluatedBy.putIfAbsent(ps.series().antigen(), ps));
                groups.add(withCountedDoses(lead.forecast(), g, best));
            }
        }
        return new Forecast(patient.asOf(), List.copyOf(groups), evaluations(relevant, best, evaluatedBy));
    }

    /** A series group's forecast for the vaccine group, and the series it blends. */
    private record Lead(GroupForecast forecast, List<SeriesForecast> series) {
    }

    /**
     * One forecast per series group (FORECASTVG-1); when an antigen has several best series (a
     * childhood and an adult regimen, a standard and a risk one), the one asking for a dose
     * soonest leads, then a complete one.
     */
    private Lead lead(VaccineGroup g, Map<String, List<SeriesForecast>> best) {
        Map<String, List<SeriesForecast>> bySeriesGroup = new LinkedHashMap<>();
        for (String antigen : g.antigens()) {
            for (SeriesForecast ps : best.getOrDefault(antigen, List.of())) {
                bySeriesGroup.computeIfAbsent(ps.series().type() + "/" + ps.series().group(), k -> new ArrayList<>())
                        .add(ps);
            }
        }
        Lead lead = null;
        for (List<SeriesForecast> series : bySeriesGroup.values()) {
            Lead candidate = new Lead(blend(g, series), series);
            if (lead == null || leads(candidate, lead)) {
                lead = candidate;
            }
        }
        return lead;
    }

    /**
     * The dose number counts the doses of every best series of an antigen that has several: a risk
     * series that starts after a completed childhood series asks for the patient's next dose, not
     * its own first.
     */
    private GroupForecast withCountedDoses(GroupForecast lead, VaccineGroup g, Map<String, List<SeriesForecast>> best) {
        if (lead.doseNumber() == null) {
            return lead;
        }
        int counted = 0;
        for (String antigen : g.antigens()) {
            List<SeriesForecast> series = best.getOrDefault(antigen, List.of());
            if (series.size() < 2) {
                continue;
            }
            int n = 0;
            for (int i = 0; i < patient.dosesOf(antigen).size(); i++) {
                int index = i;
                if (series.stream().anyMatch(ps -> ps.counts(index))) {
                    n++;
                }
            }
            counted = Math.max(counted, n);
        }
        return counted >= lead.doseNumber() ? lead.withDoseNumber(counted + 1) : lead;
    }

    /**
     * Whether one series group's forecast leads another's for the vaccine group. A not-complete
     * forecast leads (the earliest first), except that a complete risk forecast outranks a
     * not-complete standard one the patient has valid doses in: the patient completed what her
     * condition asks (Tdap in pregnancy, CDC's 2016-UC-0131). This rule is not in the logic
     * specification's tables; it is CDC's expectation where the specification yields both.
     */
    private static boolean leads(Lead a, Lead b) {
        if (completeRiskOverBegunStandard(a, b)) {
            return true;
        }
        if (completeRiskOverBegunStandard(b, a)) {
            return false;
        }
        Status as = a.forecast().status();
        Status bs = b.forecast().status();
        if (as == Status.NOT_COMPLETE || bs == Status.NOT_COMPLETE) {
            return as == Status.NOT_COMPLETE
                    && (bs != Status.NOT_COMPLETE || a.forecast().earliest().isBefore(b.forecast().earliest()));
        }
        return as == Status.COMPLETE && bs != Status.COMPLETE;
    }

    private static boolean completeRiskOverBegunStandard(Lead risk, Lead standard) {
        return risk.forecast().status() == Status.COMPLETE && standard.forecast().status() == Status.NOT_COMPLETE
                && onlyOfType(risk.series(), SeriesType.RISK) && onlyOfType(standard.series(), SeriesType.STANDARD)
                && standard.series().stream().anyMatch(ps -> ps.validDoses() > 0);
    }

    private static boolean onlyOfType(List<SeriesForecast> series, SeriesType type) {
        return series.stream().noneMatch(ps -> ps.series().type() != type);
    }

    /** FORECASTVG: the series of one series group as one forecast for the vaccine group. */
    private GroupForecast blend(VaccineGroup g, List<SeriesForecast> series) {
        List<SeriesForecast> due = series.stream().filter(ps -> ps.status() == Status.NOT_COMPLETE).toList();
        Status status = groupStatus(series);
        List<String> diseases = series.stream().map(ps -> ps.series().targetDisease()).distinct().toList();
        List<String> names = series.stream().map(ps -> ps.series().name()).toList();
        List<String> reasons = series.stream().flatMap(ps -> ps.reasons().stream()).distinct().toList();
        if (status != Status.NOT_COMPLETE || due.isEmpty()) {
            return new GroupForecast(g.name(), status, null, null, null, null, null, null, diseases, List.of(), names,
                    reasons);
        }
        LocalDate earliest;
        if (series.size() == 1) {
            earliest = due.get(0).earliest();
        } else if (due.stream().anyMatch(ps -> ps.due().priority())) {
            LocalDate min = due.stream().map(SeriesForecast::earliest).min(Comparator.naturalOrder()).orElseThrow();
            earliest = latest(min, lastDoseOfGroup(g));
        } else {
            earliest = due.stream().map(SeriesForecast::earliest).max(Comparator.naturalOrder()).orElseThrow();
        }
        LocalDate recommended = latest(due.stream().map(ps -> ps.due().recommended()).min(Comparator.naturalOrder())
                .orElseThrow(), earliest);
        LocalDate pastDue = due.stream().map(ps -> ps.due().pastDue()).filter(d -> d != null)
                .min(Comparator.naturalOrder()).map(d -> latest(d, earliest)).orElse(null);
        LocalDate latestDate = due.stream().map(ps -> ps.due().latest()).filter(d -> d != null)
                .min(Comparator.naturalOrder()).orElse(null);
        int doseNumber = g.administerFullGroup()
                ? due.stream().mapToInt(SeriesForecast::doseNumber).min().orElseThrow()
                : due.stream().mapToInt(SeriesForecast::doseNumber).max().orElseThrow();
        List<String> cvx = new ArrayList<>();
        for (SeriesForecast ps : due) {
            Set<String> contraindicated = patient.contraindicatedVaccines(data.antigens().get(ps.series().antigen()));
            for (Vaccine v : ps.forecastTarget().dose().preferable()) {
                if (v.forecast() && !cvx.contains(v.cvx()) && !contraindicated.contains(v.cvx())
                        && (between(earliest, patient.at(v.beginAge()), patient.at(v.endAge()))
                                || between(recommended, patient.at(v.beginAge()), patient.at(v.endAge())))) {
                    cvx.add(v.cvx());
                }
            }
        }
        return new GroupForecast(g.name(), status, doseNumber, due.get(0).series().doses().size(), earliest,
                recommended, pastDue, latestDate, diseases, List.copyOf(cvx), names, reasons);
    }

    /** Table 9-4. */
    private static Status groupStatus(List<SeriesForecast> series) {
        boolean allImmune = true;
        boolean allDone = true;
        Status worst = null;
        for (SeriesForecast ps : series) {
            Status s = ps.status();
            allImmune &= s == Status.IMMUNE;
            allDone &= s == Status.COMPLETE || s == Status.IMMUNE;
            if (s == Status.NOT_COMPLETE) {
                return Status.NOT_COMPLETE;
            }
            if (s == Status.CONTRAINDICATED || (s == Status.AGED_OUT && worst != Status.CONTRAINDICATED)
                    || (s == Status.NOT_RECOMMENDED && worst == null)) {
                worst = s;
            }
        }
        if (worst != null) {
            return worst;
        }
        return allImmune ? Status.IMMUNE : allDone ? Status.COMPLETE : Status.NOT_COMPLETE;
    }

    private LocalDate lastDoseOfGroup(VaccineGroup g) {
        LocalDate last = null;
        for (String antigen : g.antigens()) {
            for (AntigenDose d : patient.dosesOf(antigen)) {
                last = latest(last, d.date());
            }
        }
        return last;
    }

    /**
     * Each dose as the series behind its group's forecast evaluates it, unless another best series
     * of the antigen counts it: a childhood dose stays valid when a risk series leads later.
     */
    private List<DoseEvaluation> evaluations(Map<String, List<SeriesForecast>> relevant,
                                             Map<String, List<SeriesForecast>> best,
                                             Map<String, SeriesForecast> evaluatedBy) {
        List<DoseEvaluation> out = new ArrayList<>();
        for (Map.Entry<String, List<AntigenDose>> e : patient.byAntigen().entrySet()) {
            String antigen = e.getKey();
            List<SeriesForecast> candidates = new ArrayList<>();
            if (evaluatedBy.containsKey(antigen)) {
                candidates.add(evaluatedBy.get(antigen));
            }
            candidates.addAll(best.getOrDefault(antigen, List.of()));
            if (candidates.isEmpty()) {
                candidates.addAll(relevant.getOrDefault(antigen, List.of()));
            }
            if (candidates.isEmpty()) {
                continue;
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                SeriesForecast ps = candidates.get(0);
                for (SeriesForecast other : candidates) {
                    if (other.counts(i)) {
                        ps = other;
                        break;
                    }
                }
                AntigenDose d = ps.evaluated().doses().get(i);
                Evaluation ev = ps.evaluated().evaluations().get(i);
                Integer number = ev.status() == EvaluationStatus.VALID ? ev.target().number() : null;
                out.add(new DoseEvaluation(d.dose().id(), d.index(), antigen, groupOfAntigen.get(antigen),
                        ps.series().targetDisease(), ps.series().name(), ev.status(), ev.reason(), number));
            }
        }
        out.sort(Comparator.comparingInt(DoseEvaluation::doseIndex));
        return List.copyOf(out);
    }
}
