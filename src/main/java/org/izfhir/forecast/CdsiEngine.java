/*
 * Why this file is over 1,000 lines: the engine is one pipeline (chapters 4 to 9 of the logic
 * specification) over per-call state that every chapter reads and writes (PatientSeries' fields).
 * Splitting it into a class per chapter means first making each stage return an immutable value
 * instead of mutating that state; that is planned work with CDC's test cases (1,013 healthy,
 * 316 conditions) and the JMH benchmark as its safety net, not a move of methods between files.
 * Until then the chapters are marked by section comments, in the specification's order.
 */
package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.izfhir.forecast.Assessment.Dose;
import org.izfhir.forecast.Forecast.DoseEvaluation;
import org.izfhir.forecast.Forecast.EvaluationStatus;
import org.izfhir.forecast.Forecast.GroupForecast;
import org.izfhir.forecast.Forecast.Status;
import org.izfhir.forecast.PatientSeries.AntigenDose;
import org.izfhir.forecast.PatientSeries.Evaluation;
import org.izfhir.forecast.PatientSeries.Target;
import org.izfhir.forecast.PatientSeries.TargetStatus;
import org.izfhir.forecast.SupportingData.Age;
import org.izfhir.forecast.SupportingData.Antigen;
import org.izfhir.forecast.SupportingData.Contraindication;
import org.izfhir.forecast.SupportingData.CvxAntigen;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.LiveVirusConflict;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;
import org.izfhir.forecast.SupportingData.SeriesType;
import org.izfhir.forecast.SupportingData.Skip;
import org.izfhir.forecast.SupportingData.SkipCondition;
import org.izfhir.forecast.SupportingData.SkipSet;
import org.izfhir.forecast.SupportingData.Vaccine;
import org.izfhir.forecast.SupportingData.VaccineGroup;

/**
 * CDC's CDSi logic (Logic Specification for ACIP Recommendations v4.6): evaluates every dose
 * against every relevant series, forecasts each series, selects the best series per antigen and
 * merges them into one forecast per vaccine group. Thread-safe: the supporting data is immutable
 * and each call keeps its own state.
 */
public final class CdsiEngine {

    private static final LocalDate FAR_PAST = LocalDate.of(1900, 1, 1);
    private static final LocalDate FAR_FUTURE = LocalDate.of(2999, 12, 31);

    static final String TOO_YOUNG = "Age: Too Young";
    static final String TOO_OLD = "Age: Too Old";
    static final String TOO_SOON = "Interval: Too Soon";
    static final String INADVERTENT = "Inadvertent Vaccine";
    static final String CONFLICT = "Live Virus Conflict";
    static final String NOT_PREFERABLE_OR_ALLOWABLE = "Not a preferable or allowable vaccine";
    static final String SERIES_COMPLETE = "Series Already Complete";
    static final String GRACE = "Grace Period";

    private final SupportingData data;
    private final Map<String, List<LiveVirusConflict>> conflictsByCurrent = new HashMap<>();

    public CdsiEngine(SupportingData data) {
        this.data = data;
        for (LiveVirusConflict c : data.conflicts()) {
            conflictsByCurrent.computeIfAbsent(c.currentCvx(), k -> new ArrayList<>()).add(c);
        }
    }

    public SupportingData data() {
        return data;
    }

    /** Whether the supporting data knows the CVX (maps it to at least one antigen). */
    public boolean knows(String cvx) {
        return data.cvxAntigens().containsKey(normalize(cvx));
    }

    public Forecast forecast(Assessment in) {
        return new Run(in).forecast();
    }

    static String normalize(String cvx) {
        String c = cvx == null ? "" : cvx.trim();
        return c.length() == 1 ? "0" + c : c;
    }

    /** One call's state. */
    private final class Run {
        final Assessment in;
        final LocalDate dob;
        final LocalDate asOf;
        final List<Dose> doses;
        final Set<String> observed = new LinkedHashSet<>();
        final Map<String, List<AntigenDose>> byAntigen = new LinkedHashMap<>();
        final Map<String, List<PatientSeries>> seriesByAntigen = new LinkedHashMap<>();
        /** Per antigen, the series whose evaluations are reported: the one behind its group's forecast. */
        final Map<String, PatientSeries> evaluatedBy = new HashMap<>();

        Run(Assessment in) {
            this.in = in;
            this.dob = in.birthDate();
            this.asOf = in.assessmentDate();
            List<Dose> normalized = new ArrayList<>();
            for (Dose d : in.doses()) {
                normalized.add(new Dose(d.id(), d.date(), normalize(d.cvx()), d.mvx()));
            }
            this.doses = normalized;
            in.observations().forEach(o -> observed.add(o.code()));
            organize();
        }

        /** CDSi 4.2: each dose becomes a record per antigen it contains, sorted by date. */
        void organize() {
            for (int i = 0; i < doses.size(); i++) {
                Dose d = doses.get(i);
                for (CvxAntigen a : data.cvxAntigens().getOrDefault(d.cvx(), List.of())) {
                    if (between(d.date(), Offset.add(dob, a.beginAge()), Offset.add(dob, a.endAge()))) {
                        byAntigen.computeIfAbsent(a.antigen(), k -> new ArrayList<>()).add(new AntigenDose(i, d));
                    }
                }
            }
            byAntigen.values().forEach(l -> l.sort(Comparator.comparing(AntigenDose::date)));
        }

        Forecast forecast() {
            Map<String, List<PatientSeries>> best = new LinkedHashMap<>();
            for (Antigen antigen : data.antigens().values()) {
                List<AntigenDose> antigenDoses = byAntigen.getOrDefault(antigen.name(), List.of());
                List<PatientSeries> relevant = new ArrayList<>();
                for (Series s : antigen.series()) {
                    if (relevant(s)) {
                        relevant.add(new PatientSeries(s, antigenDoses));
                    }
                }
                seriesByAntigen.put(antigen.name(), relevant);
            }
            for (Antigen antigen : data.antigens().values()) {
                List<PatientSeries> relevant = seriesByAntigen.get(antigen.name());
                relevant.forEach(this::evaluateAndForecast);
                best.put(antigen.name(), selectBest(relevant));
            }
            List<GroupForecast> groups = new ArrayList<>();
            for (VaccineGroup g : data.vaccineGroups().values()) {
                GroupForecast f = groupForecast(g, best);
                if (f != null) {
                    groups.add(f);
                }
            }
            return new Forecast(asOf, List.copyOf(groups), evaluations(best));
        }

        // ---------------------------------------------------------------- chapter 5: relevant series

        boolean relevant(Series s) {
            if (!s.genders().isEmpty() && !s.genders().contains(in.sex().name().substring(0, 1))) {
                return false;
            }
            if (s.type() != SeriesType.RISK) {
                return true;
            }
            // A risk series that is its group's default applies until the indication's end age: its
            // first dose waits for the age (dengue vaccine for a child with a past infection, at 9).
            return s.indications().stream().anyMatch(i -> observed.contains(i.code())
                    && between(asOf, s.defaultSeries() ? FAR_PAST : orPast(Offset.add(dob, i.beginAge())),
                            orFuture(Offset.add(dob, i.endAge()))));
        }

        // ---------------------------------------------------------------- chapter 6: evaluation

        void evaluateAndForecast(PatientSeries ps) {
            if (ps.status != null) {
                return; // already done for a completed-series skip condition
            }
            ps.status = Status.NOT_COMPLETE; // guards against a cycle through completed-series conditions
            int t = 0;
            for (int i = 0; i < ps.doses.size(); i++) {
                AntigenDose d = ps.doses.get(i);
                while (t < ps.targets.size() && canSkip(ps, ps.targets.get(t), d.date(), i, true)) {
                    ps.targets.get(t).status = TargetStatus.SKIPPED;
                    t++;
                }
                if (t >= ps.targets.size()) {
                    ps.evaluations[i] = new Evaluation(EvaluationStatus.EXTRANEOUS, SERIES_COMPLETE, null, false);
                    continue;
                }
                Target target = ps.targets.get(t);
                Evaluation e = evaluate(ps, target, i);
                ps.evaluations[i] = e;
                if (e.status() == EvaluationStatus.VALID) {
                    target.status = TargetStatus.SATISFIED;
                    target.satisfiedBy = d;
                    if (target.dose.recurring()) {
                        ps.targets.add(t + 1, new Target(target.dose));
                    }
                    t++;
                }
            }
            forecastSeries(ps, t);
        }

        Evaluation evaluate(PatientSeries ps, Target target, int i) {
            AntigenDose d = ps.doses.get(i);
            LocalDate date = d.date();
            SeriesDose sd = target.dose;
            if (sd.inadvertent().contains(d.cvx())) {
                return new Evaluation(EvaluationStatus.NOT_VALID, INADVERTENT, target, true);
            }
            String reason = null;
            boolean grace = false; // valid, but only by the 4-day grace period
            Age age = relevantAge(sd, date);
            if (age != null) {
                if (!date.isBefore(orFuture(Offset.add(dob, age.max())))) {
                    return new Evaluation(EvaluationStatus.EXTRANEOUS, TOO_OLD, target, false);
                }
                if (date.isBefore(orPast(Offset.add(dob, age.absMin())))) {
                    reason = TOO_YOUNG;
                } else {
                    grace = date.isBefore(orPast(Offset.add(dob, age.min())));
                }
            }
            boolean preferableIntervals = true;
            for (Interval interval : sd.intervals()) {
                if (tooSoon(ps, interval, i, date)) {
                    preferableIntervals = false;
                } else if (interval.period().includes(date)) {
                    LocalDate ref = reference(ps, interval, i, date);
                    grace |= ref != null && date.isBefore(orPast(Offset.add(ref, interval.min())));
                }
            }
            // Without allowable intervals, the allowable path cannot validate a dose (CDSi 6.6).
            boolean allowableIntervals = !preferableIntervals && !sd.allowableIntervals().isEmpty()
                    && sd.allowableIntervals().stream().noneMatch(interval -> tooSoon(ps, interval, i, date));
            if (reason == null && !preferableIntervals && !allowableIntervals) {
                reason = TOO_SOON;
            }
            if (reason == null && impacted(ps, d)) {
                reason = CONFLICT;
            }
            if (reason == null && !matches(sd.preferable(), d, true) && !matches(sd.allowable(), d, false)) {
                reason = NOT_PREFERABLE_OR_ALLOWABLE;
            }
            return reason == null
                    ? new Evaluation(EvaluationStatus.VALID, grace ? GRACE : null, target, false)
                    : new Evaluation(EvaluationStatus.NOT_VALID, reason, target, false);
        }

        /** Is the dose before the interval's absolute minimum (when the interval applies and has a reference)? */
        boolean tooSoon(PatientSeries ps, Interval interval, int i, LocalDate date) {
            if (!interval.period().includes(date)) {
                return false;
            }
            LocalDate ref = reference(ps, interval, i, date);
            return ref != null && date.isBefore(orPast(Offset.add(ref, interval.absMin())));
        }

        boolean matches(List<Vaccine> vaccines, AntigenDose d, boolean checkMvx) {
            for (Vaccine v : vaccines) {
                if (v.cvx().equals(d.cvx())
                        && between(d.date(), Offset.add(dob, v.beginAge()), Offset.add(dob, v.endAge()))
                        && (!checkMvx || v.mvx() == null || d.dose().mvx() == null || d.dose().mvx().isBlank()
                                || v.mvx().equalsIgnoreCase(d.dose().mvx()))) {
                    return true;
                }
            }
            return false;
        }

        /** CDSi 6.7: is the dose within a live virus conflict window of an earlier dose? */
        boolean impacted(PatientSeries ps, AntigenDose current) {
            List<LiveVirusConflict> conflicts = conflictsByCurrent.get(current.cvx());
            if (conflicts == null) {
                return false;
            }
            for (LiveVirusConflict c : conflicts) {
                for (int j = 0; j < doses.size(); j++) {
                    Dose previous = doses.get(j);
                    if (!previous.cvx().equals(c.previousCvx()) || !previous.date().isBefore(current.date())) {
                        continue;
                    }
                    Evaluation pe = ps.evaluationOf(j);
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

        /**
         * The date an interval is measured from (CALCDTINT-1, 2, 8, 9), looking at doses before
         * {@code limit} in the series' list and given before {@code before}, or at the most recent
         * observation (whenever it was); null when there is none.
         */
        LocalDate reference(PatientSeries ps, Interval interval, int limit, LocalDate before) {
            if (interval.fromPrevious()) {
                for (int j = limit - 1; j >= 0; j--) {
                    Evaluation e = ps.evaluations[j];
                    if (e != null && e.countsAsPrevious()) {
                        return ps.doses.get(j).date();
                    }
                }
                return null;
            }
            if (interval.fromTargetDose() != null) {
                for (Target t : ps.targets) {
                    if (t.dose.number() == interval.fromTargetDose() && t.status == TargetStatus.SATISFIED) {
                        return t.satisfiedBy.date();
                    }
                }
                return null;
            }
            if (!interval.fromMostRecent().isEmpty()) {
                LocalDate latest = null;
                for (int j = 0; j < doses.size(); j++) {
                    Dose d = doses.get(j);
                    Evaluation e = ps.evaluationOf(j);
                    if (interval.fromMostRecent().contains(d.cvx()) && (before == null || d.date().isBefore(before))
                            && (e == null || !e.inadvertent()) && (latest == null || d.date().isAfter(latest))) {
                        latest = d.date();
                    }
                }
                return latest;
            }
            LocalDate latest = null;
            for (Assessment.Observation o : in.observations()) {
                if (o.code().equals(interval.fromObservation()) && o.date() != null
                        && (latest == null || o.date().isAfter(latest))) {
                    latest = o.date();
                }
            }
            return latest;
        }

        // ---------------------------------------------------------------- 6.2 / 7.1: conditional skip

        /** Whether the target dose can be skipped; {@code limit} bounds the doses counted (evaluation). */
        boolean canSkip(PatientSeries ps, Target target, LocalDate ref, int limit, boolean evaluation) {
            for (Skip skip : target.dose.skips()) {
                if (skip.appliesTo(evaluation) && skipped(ps, skip, ref, limit)) {
                    return true;
                }
            }
            return false;
        }

        boolean skipped(PatientSeries ps, Skip skip, LocalDate ref, int limit) {
            int considered = 0;
            int met = 0;
            for (SkipSet set : skip.sets()) {
                if (!set.period().includes(ref)) {
                    continue;
                }
                considered++;
                int conditionsMet = 0;
                for (SkipCondition c : set.conditions()) {
                    if (conditionMet(ps, c, ref, limit)) {
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

        boolean conditionMet(PatientSeries ps, SkipCondition c, LocalDate ref, int limit) {
            switch (c.type()) {
                case AGE:
                    return between(ref, orPast(Offset.add(dob, c.beginAge())), orFuture(Offset.add(dob, c.endAge())));
                case INTERVAL: {
                    if (limit == 0) {
                        return false;
                    }
                    LocalDate previous = ps.doses.get(limit - 1).date();
                    return !ref.isBefore(Offset.add(previous, c.interval()));
                }
                case COMPLETED_SERIES:
                    for (PatientSeries other : seriesByAntigen.get(ps.series.antigen())) {
                        if (other != ps && c.seriesGroups().contains(other.series.group())) {
                            evaluateAndForecast(other);
                            if (other.complete()) {
                                return true;
                            }
                        }
                    }
                    return false;
                default: {
                    LocalDate beginAge = orPast(Offset.add(dob, c.beginAge()));
                    LocalDate endAge = orFuture(Offset.add(dob, c.endAge()));
                    int count = 0;
                    for (int j = 0; j < limit; j++) {
                        AntigenDose d = ps.doses.get(j);
                        if ((c.vaccineTypes().isEmpty() || c.vaccineTypes().contains(d.cvx()))
                                && between(d.date(), beginAge, endAge)
                                && between(d.date(), orPast(c.startDate()), orFuture(c.endDate()))
                                && (!c.validOnly() || (ps.evaluations[j] != null
                                        && ps.evaluations[j].status() == EvaluationStatus.VALID))) {
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
        }

        // ---------------------------------------------------------------- chapter 7: forecast

        void forecastSeries(PatientSeries ps, int t) {
            Antigen antigen = data.antigens().get(ps.series.antigen());
            int all = ps.doses.size();
            while (true) {
                while (t < ps.targets.size() && canSkip(ps, ps.targets.get(t), asOf, all, false)) {
                    ps.targets.get(t).status = TargetStatus.SKIPPED;
                    t++;
                }
                if (t >= ps.targets.size()) {
                    ps.status = Status.COMPLETE;
                    ps.reasons.add("Patient series is complete");
                    return;
                }
                if (immune(antigen)) {
                    ps.status = Status.IMMUNE;
                    ps.reasons.add("Patient has evidence of immunity");
                    return;
                }
                Target target = ps.targets.get(t);
                if (contraindicated(antigen)) {
                    ps.status = Status.CONTRAINDICATED;
                    ps.reasons.add("Patient has a contraindication");
                    return;
                }
                if (!dates(ps, target)) {
                    return;
                }
                // 7.6: would the target dose be skipped by the time it is due?
                if (canSkip(ps, target, ps.earliest, all, false)) {
                    target.status = TargetStatus.SKIPPED;
                    t++;
                    continue;
                }
                ps.forecastTarget = target;
                ps.status = Status.NOT_COMPLETE;
                ps.doseNumber = forecastDoseNumber(ps);
                return;
            }
        }

        boolean immune(Antigen antigen) {
            for (String code : antigen.immunityCodes()) {
                if (observed.contains(code)) {
                    return true;
                }
            }
            var birth = antigen.birthDateImmunity();
            return birth != null && dob.isBefore(birth.date())
                    && birth.exclusionCodes().stream().noneMatch(observed::contains);
        }

        /** Table 7-5: an antigen contraindication stops every series of the antigen. */
        boolean contraindicated(Antigen antigen) {
            return applicableContraindications(antigen).anyMatch(c -> c.cvx().isEmpty());
        }

        /** Table 7-6: a vaccine contraindication only keeps that vaccine out of the forecast. */
        Set<String> contraindicatedVaccines(Antigen antigen) {
            Set<String> cvx = new HashSet<>();
            applicableContraindications(antigen).forEach(c -> cvx.addAll(c.cvx()));
            return cvx;
        }

        Stream<Contraindication> applicableContraindications(Antigen antigen) {
            return antigen.contraindications().stream().filter(c -> observed.contains(c.code())
                    && between(asOf, orPast(Offset.add(dob, c.beginAge())), orFuture(Offset.add(dob, c.endAge()))));
        }

        /** CDSi 7.4 and 7.5; false when there is nothing to forecast (the status says why). */
        boolean dates(PatientSeries ps, Target target) {
            SeriesDose sd = target.dose;
            Age age = relevantAge(sd, asOf);
            LocalDate minAge = age == null ? null : Offset.add(dob, age.min());
            LocalDate earliestRecAge = age == null ? null : Offset.add(dob, age.earliestRec());
            LocalDate latestRecAge = age == null ? null : Offset.add(dob, age.latestRec());
            LocalDate maxAge = age == null ? null : Offset.add(dob, age.max());

            int all = ps.doses.size();
            LocalDate minInterval = null;
            LocalDate earliestRecInterval = null;
            LocalDate latestRecInterval = null;
            boolean priority = !sd.intervals().isEmpty();
            for (Interval interval : sd.intervals()) {
                if (!interval.period().includes(asOf)) {
                    continue;
                }
                priority &= interval.priority();
                LocalDate ref = reference(ps, interval, all, null);
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
                Evaluation e = ps.evaluations[i];
                if (e != null && e.target() != null) {
                    earliest = latest(earliest, ps.doses.get(i).date());
                }
            }
            if (earliest == null) {
                earliest = dob;
            }
            if (maxAge != null && (!asOf.isBefore(maxAge) || !earliest.isBefore(maxAge))) {
                ps.status = Status.AGED_OUT;
                ps.reasons.add(!asOf.isBefore(maxAge) ? "Patient has exceeded the maximum age"
                        : "Patient is unable to finish the series prior to the maximum age");
                return false;
            }
            if (sd.seasonEnd() != null && asOf.isAfter(sd.seasonEnd())) {
                ps.status = Status.NOT_RECOMMENDED;
                ps.reasons.add("Past seasonal recommendation end date");
                return false;
            }
            LocalDate recommended = earliestRecAge != null ? earliestRecAge
                    : earliestRecInterval != null ? earliestRecInterval : earliest;
            LocalDate pastDue = latestRecAge != null ? latestRecAge.minusDays(1)
                    : latestRecInterval != null ? latestRecInterval.minusDays(1) : null;
            ps.earliest = earliest;
            ps.recommended = latest(earliest, recommended);
            ps.pastDue = pastDue == null ? null : latest(earliest, pastDue);
            ps.latest = maxAge == null ? null : maxAge.minusDays(1);
            ps.priorityForecast = priority;
            return true;
        }

        /** CALCDTCONFLICT-3: the latest end of a live virus conflict with the vaccines the dose prefers. */
        LocalDate conflictEnd(SeriesDose sd) {
            LocalDate end = null;
            for (Vaccine v : sd.preferable()) {
                for (LiveVirusConflict c : conflictsByCurrent.getOrDefault(v.cvx(), List.of())) {
                    for (Dose d : doses) {
                        if (d.cvx().equals(c.previousCvx()) && !d.date().isAfter(asOf)) {
                            end = latest(end, Offset.add(d.date(), c.end()));
                        }
                    }
                }
            }
            return end;
        }

        int forecastDoseNumber(PatientSeries ps) {
            int n = 0;
            for (Target t : ps.targets) {
                if (t.status == TargetStatus.SATISFIED
                        && (t.dose.seasonStart() == null || !t.satisfiedBy.date().isBefore(t.dose.seasonStart()))) {
                    n++;
                }
            }
            return n + 1;
        }

        // ---------------------------------------------------------------- chapter 8: best series

        List<PatientSeries> selectBest(List<PatientSeries> relevant) {
            Map<String, List<PatientSeries>> byGroup = new LinkedHashMap<>();
            for (PatientSeries ps : relevant) {
                byGroup.computeIfAbsent(ps.series.group(), k -> new ArrayList<>()).add(ps);
            }
            List<PatientSeries> prioritized = new ArrayList<>();
            for (List<PatientSeries> group : byGroup.values()) {
                PatientSeries p = prioritize(group);
                if (p != null) {
                    prioritized.add(p);
                }
            }
            List<PatientSeries> best = new ArrayList<>();
            for (PatientSeries p : prioritized) {
                if (p.complete()) {
                    best.add(p);
                    continue;
                }
                boolean equivalentComplete = false;
                boolean equivalentRisk = false;
                for (PatientSeries o : prioritized) {
                    if (o != p && equivalent(p, o)) {
                        equivalentComplete |= o.complete();
                        equivalentRisk |= o.series.type() == SeriesType.RISK;
                    }
                }
                if (equivalentComplete || p.series.type() == SeriesType.EVALUATION_ONLY) {
                    continue;
                }
                if (p.series.type() == SeriesType.RISK || !equivalentRisk) {
                    best.add(p);
                }
            }
            return best;
        }

        /** Whether {@code b}'s series group stands in for {@code a}'s (as {@code a}'s series names it). */
        boolean equivalent(PatientSeries a, PatientSeries b) {
            return a.series.equivalentGroups().contains(b.series.group());
        }

        PatientSeries prioritize(List<PatientSeries> group) {
            // A series not yet begun is no path for a patient outside its ages to start.
            group = group.stream().filter(ps -> ps.validDoses() > 0 || canStart(ps.series)).toList();
            if (group.isEmpty()) {
                return null;
            }
            group = mostSpecificRisk(group);
            List<PatientSeries> candidates = group.stream().filter(ps -> ps.status != Status.CONTRAINDICATED).toList();
            if (candidates.isEmpty()) {
                candidates = group;
            }
            char topRisk = 'Z';
            boolean anyValid = false;
            boolean hasDefault = false;
            for (PatientSeries ps : group) {
                if (ps.series.type() == SeriesType.RISK && ps.series.priority() < topRisk) {
                    topRisk = ps.series.priority();
                }
                anyValid |= ps.validDoses() > 0;
                hasDefault |= ps.series.defaultSeries();
            }
            List<PatientSeries> scorable = new ArrayList<>();
            for (PatientSeries ps : candidates) {
                boolean scorableSeries = switch (ps.series.type()) {
                    case RISK -> ps.series.priority() <= topRisk;
                    case EVALUATION_ONLY -> ps.complete();
                    case STANDARD -> (ps.validDoses() > 0 && ps.firstValid()
                            .isBefore(orFuture(Offset.add(dob, ps.series.maxAgeToStart()))))
                            || (!anyValid && !hasDefault);
                };
                if (scorableSeries) {
                    scorable.add(ps);
                }
            }
            PatientSeries defaultSeries = group.stream().filter(ps -> ps.series.defaultSeries()).findFirst().orElse(null);
            if (scorable.isEmpty()) {
                return defaultSeries;
            }
            if (scorable.size() == 1) {
                return scorable.get(0);
            }
            List<PatientSeries> complete = scorable.stream().filter(PatientSeries::complete).toList();
            List<PatientSeries> inProcess = scorable.stream().filter(PatientSeries::inProcess).toList();
            if (complete.size() == 1) {
                return complete.get(0);
            }
            if (complete.isEmpty() && inProcess.size() == 1) {
                return inProcess.get(0);
            }
            boolean noneValid = scorable.stream().noneMatch(ps -> ps.validDoses() > 0);
            if (noneValid && defaultSeries != null && scorable.contains(defaultSeries)) {
                return defaultSeries;
            }
            List<PatientSeries> scored = complete.size() >= 2 ? complete : !inProcess.isEmpty() ? inProcess : scorable;
            int[] score = new int[scored.size()];
            if (complete.size() >= 2) {
                award(score, scored, ps -> ps.validDoses(), 1, 0, -1);
            } else if (!inProcess.isEmpty()) {
                for (int i = 0; i < scored.size(); i++) {
                    PatientSeries ps = scored.get(i);
                    score[i] += ps.series.productPath() && ps.allEvaluationsValid() ? 2 : -2;
                    score[i] += completable(ps) ? 3 : -3;
                }
                award(score, scored, ps -> ps.validDoses(), 2, 0, -2);
                award(score, scored, ps -> -ps.notSatisfied(), 2, 0, -2);
                awardFinishEarliest(score, scored);
            } else {
                award(score, scored, ps -> ps.earliest == null ? Integer.MIN_VALUE : -(int) ps.earliest.toEpochDay(),
                        1, 0, -1);
                for (int i = 0; i < scored.size(); i++) {
                    score[i] += completable(scored.get(i)) ? 1 : -1;
                    score[i] += scored.get(i).series.productPath() ? -1 : 1;
                }
            }
            PatientSeries chosen = null;
            int top = Integer.MIN_VALUE;
            for (int i = 0; i < scored.size(); i++) {
                PatientSeries ps = scored.get(i);
                if (score[i] > top || (score[i] == top && ps.series.preference() < chosen.series.preference())) {
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
        List<PatientSeries> mostSpecificRisk(List<PatientSeries> group) {
            LocalDate latest = group.stream().filter(ps -> ps.series.type() == SeriesType.RISK)
                    .map(ps -> indicatedSince(ps.series)).max(LocalDate::compareTo).orElse(null);
            return group.stream().filter(ps -> ps.series.type() != SeriesType.RISK
                    || ps.validDoses() > 0 || ps.series.minAgeToStart() != null || ps.series.maxAgeToStart() != null
                    || indicatedSince(ps.series).equals(latest)).toList();
        }

        /** The latest date from which one of the patient's indications for a risk series applies. */
        LocalDate indicatedSince(Series s) {
            return s.indications().stream().filter(i -> observed.contains(i.code()))
                    .map(i -> orPast(Offset.add(dob, i.beginAge())))
                    .filter(begin -> !begin.isAfter(asOf)).max(LocalDate::compareTo).orElse(FAR_PAST);
        }

        boolean canStart(Series s) {
            return (s.minAgeToStart() == null || !asOf.isBefore(s.minAgeToStart().addTo(dob)))
                    && (s.type() != SeriesType.RISK || s.maxAgeToStart() == null || asOf.isBefore(s.maxAgeToStart().addTo(dob)));
        }

        /** Points for the series with the highest value: one alone, several tied, the others. */
        void award(int[] score, List<PatientSeries> scored, ToIntFunction<PatientSeries> value,
                int alone, int tied, int others) {
            int max = Integer.MIN_VALUE;
            int count = 0;
            for (PatientSeries ps : scored) {
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

        void awardFinishEarliest(int[] score, List<PatientSeries> scored) {
            LocalDate first = null;
            int count = 0;
            for (PatientSeries ps : scored) {
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
        LocalDate finish(PatientSeries ps) {
            if (ps.earliest == null) {
                return null;
            }
            LocalDate finish = ps.earliest;
            boolean after = false;
            for (Target t : ps.targets) {
                if (t == ps.forecastTarget) {
                    after = true;
                    continue;
                }
                if (after) {
                    for (Interval interval : t.dose.intervals()) {
                        if (interval.fromPrevious()) {
                            finish = latest(finish, Offset.add(ps.earliest, interval.min()));
                        }
                    }
                }
            }
            return finish;
        }

        /** SELECTB-3: the series can be finished before the last dose's maximum age. */
        boolean completable(PatientSeries ps) {
            LocalDate finish = finish(ps);
            if (finish == null) {
                return false;
            }
            Age last = relevantAge(ps.targets.get(ps.targets.size() - 1).dose, asOf);
            LocalDate max = last == null ? null : Offset.add(dob, last.max());
            return max == null || finish.isBefore(max);
        }

        // ---------------------------------------------------------------- chapter 9: vaccine groups

        /**
         * One forecast per series group (FORECASTVG-1); when an antigen has several best series (a
         * childhood and an adult regimen, a standard and a risk one), the one asking for a dose
         * soonest leads, then a complete one.
         */
        GroupForecast groupForecast(VaccineGroup g, Map<String, List<PatientSeries>> best) {
            Map<String, List<PatientSeries>> bySeriesGroup = new LinkedHashMap<>();
            for (String antigen : g.antigens()) {
                for (PatientSeries ps : best.getOrDefault(antigen, List.of())) {
                    bySeriesGroup.computeIfAbsent(ps.series.type() + "/" + ps.series.group(), k -> new ArrayList<>()).add(ps);
                }
            }
            GroupForecast lead = null;
            List<PatientSeries> leadSeries = List.of();
            for (List<PatientSeries> series : bySeriesGroup.values()) {
                GroupForecast f = blend(g, series);
                if (lead == null || leads(f, series, lead, leadSeries)) {
                    lead = f;
                    leadSeries = series;
                }
            }
            leadSeries.forEach(ps -> evaluatedBy.putIfAbsent(ps.series.antigen(), ps));
            if (lead != null && lead.doseNumber() != null) {
                int counted = countedDoses(g, best);
                if (counted >= lead.doseNumber()) {
                    lead = lead.withDoseNumber(counted + 1);
                }
            }
            return lead;
        }

        /**
         * The doses that count for the group when an antigen has several best series: a risk series
         * that starts after a completed childhood series asks for the patient's next dose, not its own
         * first.
         */
        int countedDoses(VaccineGroup g, Map<String, List<PatientSeries>> best) {
            int counted = 0;
            for (String antigen : g.antigens()) {
                List<PatientSeries> series = best.getOrDefault(antigen, List.of());
                if (series.size() < 2) {
                    continue;
                }
                int n = 0;
                for (int i = 0; i < byAntigen.getOrDefault(antigen, List.of()).size(); i++) {
                    int index = i;
                    if (series.stream().anyMatch(ps -> ps.counts(index))) {
                        n++;
                    }
                }
                counted = Math.max(counted, n);
            }
            return counted;
        }

        /**
         * Whether one series group's forecast leads another's for the vaccine group. A not-complete
         * forecast leads (the earliest first), except that a complete risk forecast outranks a
         * not-complete standard one the patient has valid doses in: the patient completed what her
         * condition asks (Tdap in pregnancy, CDC's 2016-UC-0131). This rule is not in the logic
         * specification's tables; it is CDC's expectation where the specification yields both.
         */
        boolean leads(GroupForecast a, List<PatientSeries> aSeries, GroupForecast b, List<PatientSeries> bSeries) {
            if (completeRiskOverBegunStandard(a, aSeries, b, bSeries)) {
                return true;
            }
            if (completeRiskOverBegunStandard(b, bSeries, a, aSeries)) {
                return false;
            }
            if (a.status() == Status.NOT_COMPLETE || b.status() == Status.NOT_COMPLETE) {
                return a.status() == Status.NOT_COMPLETE
                        && (b.status() != Status.NOT_COMPLETE || a.earliest().isBefore(b.earliest()));
            }
            return a.status() == Status.COMPLETE && b.status() != Status.COMPLETE;
        }

        static boolean completeRiskOverBegunStandard(GroupForecast risk, List<PatientSeries> riskSeries,
                                                     GroupForecast standard, List<PatientSeries> standardSeries) {
            return risk.status() == Status.COMPLETE && standard.status() == Status.NOT_COMPLETE
                    && onlyOfType(riskSeries, SeriesType.RISK) && onlyOfType(standardSeries, SeriesType.STANDARD)
                    && standardSeries.stream().anyMatch(ps -> ps.validDoses() > 0);
        }

        static boolean onlyOfType(List<PatientSeries> series, SeriesType type) {
            return series.stream().noneMatch(ps -> ps.series.type() != type);
        }

        GroupForecast blend(VaccineGroup g, List<PatientSeries> series) {
            List<PatientSeries> due = series.stream().filter(ps -> ps.status == Status.NOT_COMPLETE).toList();
            Status status = groupStatus(series);
            List<String> diseases = series.stream().map(ps -> ps.series.targetDisease()).distinct().toList();
            List<String> names = series.stream().map(ps -> ps.series.name()).toList();
            List<String> reasons = series.stream().flatMap(ps -> ps.reasons.stream()).distinct().toList();
            if (status != Status.NOT_COMPLETE || due.isEmpty()) {
                return new GroupForecast(g.name(), status, null, null, null, null, null, null, diseases, List.of(), names,
                        reasons);
            }
            LocalDate earliest;
            if (series.size() == 1) {
                earliest = due.get(0).earliest;
            } else if (due.stream().anyMatch(ps -> ps.priorityForecast)) {
                LocalDate min = due.stream().map(ps -> ps.earliest).min(Comparator.naturalOrder()).orElseThrow();
                earliest = latest(min, lastDoseOfGroup(g));
            } else {
                earliest = due.stream().map(ps -> ps.earliest).max(Comparator.naturalOrder()).orElseThrow();
            }
            LocalDate recommended = latest(due.stream().map(ps -> ps.recommended).min(Comparator.naturalOrder())
                    .orElseThrow(), earliest);
            LocalDate pastDue = due.stream().map(ps -> ps.pastDue).filter(d -> d != null).min(Comparator.naturalOrder())
                    .map(d -> latest(d, earliest)).orElse(null);
            LocalDate latestDate = due.stream().map(ps -> ps.latest).filter(d -> d != null)
                    .min(Comparator.naturalOrder()).orElse(null);
            int doseNumber = g.administerFullGroup()
                    ? due.stream().mapToInt(ps -> ps.doseNumber).min().orElseThrow()
                    : due.stream().mapToInt(ps -> ps.doseNumber).max().orElseThrow();
            PatientSeries lead = due.get(0);
            List<String> cvx = new ArrayList<>();
            for (PatientSeries ps : due) {
                Set<String> contraindicated = contraindicatedVaccines(data.antigens().get(ps.series.antigen()));
                for (Vaccine v : ps.forecastTarget.dose.preferable()) {
                    if (v.forecast() && !cvx.contains(v.cvx()) && !contraindicated.contains(v.cvx())
                            && (between(earliest, Offset.add(dob, v.beginAge()), Offset.add(dob, v.endAge()))
                                    || between(recommended, Offset.add(dob, v.beginAge()), Offset.add(dob, v.endAge())))) {
                        cvx.add(v.cvx());
                    }
                }
            }
            return new GroupForecast(g.name(), status, doseNumber, lead.series.doses().size(), earliest, recommended,
                    pastDue, latestDate, diseases, List.copyOf(cvx), names, reasons);
        }

        /** Table 9-4. */
        Status groupStatus(List<PatientSeries> series) {
            boolean allImmune = true;
            boolean allDone = true;
            Status worst = null;
            for (PatientSeries ps : series) {
                allImmune &= ps.status == Status.IMMUNE;
                allDone &= ps.status == Status.COMPLETE || ps.status == Status.IMMUNE;
                if (ps.status == Status.NOT_COMPLETE) {
                    return Status.NOT_COMPLETE;
                }
                if (ps.status == Status.CONTRAINDICATED
                        || (ps.status == Status.AGED_OUT && worst != Status.CONTRAINDICATED)
                        || (ps.status == Status.NOT_RECOMMENDED && worst == null)) {
                    worst = ps.status;
                }
            }
            if (worst != null) {
                return worst;
            }
            return allImmune ? Status.IMMUNE : allDone ? Status.COMPLETE : Status.NOT_COMPLETE;
        }

        LocalDate lastDoseOfGroup(VaccineGroup g) {
            LocalDate last = null;
            for (String antigen : g.antigens()) {
                for (AntigenDose d : byAntigen.getOrDefault(antigen, List.of())) {
                    last = latest(last, d.date());
                }
            }
            return last;
        }

        /**
         * Each dose as the series behind its group's forecast evaluates it, unless another best series
         * of the antigen counts it: a childhood dose stays valid when a risk series leads later.
         */
        List<DoseEvaluation> evaluations(Map<String, List<PatientSeries>> best) {
            Map<String, String> groupOf = new HashMap<>();
            data.vaccineGroups().values().forEach(g -> g.antigens().forEach(a -> groupOf.putIfAbsent(a, g.name())));
            List<DoseEvaluation> out = new ArrayList<>();
            for (Map.Entry<String, List<AntigenDose>> e : byAntigen.entrySet()) {
                String antigen = e.getKey();
                List<PatientSeries> candidates = new ArrayList<>();
                if (evaluatedBy.containsKey(antigen)) {
                    candidates.add(evaluatedBy.get(antigen));
                }
                candidates.addAll(best.getOrDefault(antigen, List.of()));
                if (candidates.isEmpty()) {
                    candidates.addAll(seriesByAntigen.getOrDefault(antigen, List.of()));
                }
                if (candidates.isEmpty()) {
                    continue;
                }
                for (int i = 0; i < e.getValue().size(); i++) {
                    PatientSeries ps = candidates.get(0);
                    for (PatientSeries other : candidates) {
                        if (other.counts(i)) {
                            ps = other;
                            break;
                        }
                    }
                    AntigenDose d = ps.doses.get(i);
                    Evaluation ev = ps.evaluations[i];
                    if (ev == null) {
                        continue;
                    }
                    Integer number = ev.status() == EvaluationStatus.VALID ? ev.target().dose.number() : null;
                    out.add(new DoseEvaluation(d.dose().id(), d.index(), antigen, groupOf.get(antigen),
                            ps.series.targetDisease(), ps.series.name(), ev.status(), ev.reason(), number));
                }
            }
            out.sort(Comparator.comparingInt(DoseEvaluation::doseIndex));
            return List.copyOf(out);
        }
    }

    private static Age relevantAge(SeriesDose sd, LocalDate date) {
        for (Age a : sd.ages()) {
            if (a.period().includes(date)) {
                return a;
            }
        }
        return null;
    }

    /** begin ≤ date < end, each end open when null. */
    private static boolean between(LocalDate date, LocalDate begin, LocalDate end) {
        return (begin == null || !date.isBefore(begin)) && (end == null || date.isBefore(end));
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static LocalDate orPast(LocalDate d) {
        return d == null ? FAR_PAST : d;
    }

    private static LocalDate orFuture(LocalDate d) {
        return d == null ? FAR_FUTURE : d;
    }
}
