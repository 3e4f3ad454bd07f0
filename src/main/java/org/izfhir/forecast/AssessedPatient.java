package org.izfhir.forecast;

import static org.izfhir.forecast.Dates.FAR_PAST;
import static org.izfhir.forecast.Dates.between;
import static org.izfhir.forecast.Dates.orFuture;
import static org.izfhir.forecast.Dates.orPast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.izfhir.forecast.Assessment.Dose;
import org.izfhir.forecast.EvaluatedSeries.AntigenDose;
import org.izfhir.forecast.EvaluatedSeries.Evaluation;
import org.izfhir.forecast.EvaluatedSeries.Target;
import org.izfhir.forecast.EvaluatedSeries.TargetStatus;
import org.izfhir.forecast.SupportingData.Antigen;
import org.izfhir.forecast.SupportingData.Contraindication;
import org.izfhir.forecast.SupportingData.CvxAntigen;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesType;

/**
 * The patient as every chapter reads them, gathered once (CDSi chapter 4): the doses with their
 * CVX normalised, each also as a record per antigen it contains, the observations, the birth and
 * assessment dates. Not changed once organised (its collections are not wrapped either: see
 * {@link EvaluatedSeries}).
 *
 * @param doses     the doses given, in the caller's order
 * @param byAntigen per antigen, its doses by date (CDSi 4.2)
 * @param observed  the codes of the patient's observations
 */
record AssessedPatient(Assessment assessment, List<Dose> doses, Map<String, List<AntigenDose>> byAntigen,
                       Set<String> observed) {

    private static final List<AntigenDose> NO_DOSES = new ArrayList<>(0); // never written

    static AssessedPatient organize(Assessment in, SupportingData data) {
        List<Dose> doses = new ArrayList<>();
        for (Dose d : in.doses()) {
            doses.add(new Dose(d.id(), d.date(), CdsiEngine.normalize(d.cvx()), d.mvx()));
        }
        Map<String, List<AntigenDose>> byAntigen = new LinkedHashMap<>();
        LocalDate dob = in.birthDate();
        for (int i = 0; i < doses.size(); i++) {
            Dose d = doses.get(i);
            for (CvxAntigen a : data.cvxAntigens().getOrDefault(d.cvx(), List.of())) {
                if (between(d.date(), Offset.add(dob, a.beginAge()), Offset.add(dob, a.endAge()))) {
                    byAntigen.computeIfAbsent(a.antigen(), k -> new ArrayList<>()).add(new AntigenDose(i, d));
                }
            }
        }
        byAntigen.values().forEach(list -> list.sort(Comparator.comparing(AntigenDose::date)));
        Set<String> observed = new HashSet<>();
        in.observations().forEach(o -> observed.add(o.code()));
        return new AssessedPatient(in, doses, byAntigen, observed);
    }

    /** The birth date. */
    LocalDate dob() {
        return assessment.birthDate();
    }

    /** The assessment date. */
    LocalDate asOf() {
        return assessment.assessmentDate();
    }

    /** The doses of one antigen, by date. */
    List<AntigenDose> dosesOf(String antigen) {
        return byAntigen.getOrDefault(antigen, NO_DOSES);
    }

    /** The date the patient reaches an age; null for no age. */
    LocalDate at(Offset age) {
        return Offset.add(dob(), age);
    }

    /** CDSi chapter 5: whether a series applies to the patient (gender, and a risk series' indication). */
    boolean relevant(Series s) {
        if (!s.genders().isEmpty() && !s.genders().contains(assessment.sex().name().substring(0, 1))) {
            return false;
        }
        if (s.type() != SeriesType.RISK) {
            return true;
        }
        // A risk series that is its group's default applies until the indication's end age: its
        // first dose waits for the age (dengue vaccine for a child with a past infection, at 9).
        return s.indications().stream().anyMatch(i -> observed.contains(i.code())
                && between(asOf(), s.defaultSeries() ? FAR_PAST : orPast(at(i.beginAge())), orFuture(at(i.endAge()))));
    }

    /** The latest date from which one of the patient's indications for a risk series applies. */
    LocalDate indicatedSince(Series s) {
        return s.indications().stream().filter(i -> observed.contains(i.code()))
                .map(i -> orPast(at(i.beginAge())))
                .filter(begin -> !begin.isAfter(asOf())).max(LocalDate::compareTo).orElse(FAR_PAST);
    }

    /** Evidence of immunity: an observation, or a birth date before the antigen's (CDSi 7.2). */
    boolean immune(Antigen antigen) {
        for (String code : antigen.immunityCodes()) {
            if (observed.contains(code)) {
                return true;
            }
        }
        var birth = antigen.birthDateImmunity();
        return birth != null && dob().isBefore(birth.date())
                && birth.exclusionCodes().stream().noneMatch(observed::contains);
    }

    /** Table 7-5: an antigen contraindication stops every series of the antigen. */
    boolean contraindicated(Antigen antigen) {
        return contraindications(antigen).anyMatch(c -> c.cvx().isEmpty());
    }

    /** Table 7-6: a vaccine contraindication only keeps that vaccine out of the forecast. */
    Set<String> contraindicatedVaccines(Antigen antigen) {
        Set<String> cvx = new HashSet<>();
        contraindications(antigen).forEach(c -> cvx.addAll(c.cvx()));
        return cvx;
    }

    private Stream<Contraindication> contraindications(Antigen antigen) {
        return antigen.contraindications().stream().filter(c -> observed.contains(c.code())
                && between(asOf(), orPast(at(c.beginAge())), orFuture(at(c.endAge()))));
    }

    /**
     * The date an interval is measured from (CALCDTINT-1, 2, 8, 9), looking at the series' doses
     * before {@code limit} and given before {@code before}, or at the most recent observation
     * (whenever it was); null when there is none.
     */
    LocalDate intervalReference(EvaluatedSeries s, Interval interval, int limit, LocalDate before) {
        if (interval.fromPrevious()) {
            for (int j = limit - 1; j >= 0; j--) {
                Evaluation e = s.evaluations().get(j);
                if (e != null && e.countsAsPrevious()) {
                    return s.doses().get(j).date();
                }
            }
            return null;
        }
        if (interval.fromTargetDose() != null) {
            for (Target t : s.targets()) {
                if (t.dose().number() == interval.fromTargetDose() && t.status() == TargetStatus.SATISFIED) {
                    return t.satisfiedBy().date();
                }
            }
            return null;
        }
        if (!interval.fromMostRecent().isEmpty()) {
            LocalDate latest = null;
            for (int j = 0; j < doses.size(); j++) {
                Dose d = doses.get(j);
                Evaluation e = s.evaluationOf(j);
                if (interval.fromMostRecent().contains(d.cvx()) && (before == null || d.date().isBefore(before))
                        && (e == null || !e.inadvertent()) && (latest == null || d.date().isAfter(latest))) {
                    latest = d.date();
                }
            }
            return latest;
        }
        LocalDate latest = null;
        for (Assessment.Observation o : assessment.observations()) {
            if (o.code().equals(interval.fromObservation()) && o.date() != null
                    && (latest == null || o.date().isAfter(latest))) {
                latest = o.date();
            }
        }
        return latest;
    }
}
