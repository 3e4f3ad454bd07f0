package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CDC's CDSi supporting data, read once into immutable records (see {@link SupportingDataReader}).
 * Names follow the supporting data's own elements; absent values are null, absent lists empty.
 */
public record SupportingData(
        Map<String, Antigen> antigens,
        Map<String, VaccineGroup> vaccineGroups,
        Map<String, List<CvxAntigen>> cvxAntigens,
        List<LiveVirusConflict> conflicts,
        Map<String, String> observations,
        Map<String, Set<String>> observationsByCodedValue) {

    /**
     * The CDSi observation codes a coded value stands for, by {@code SYSTEM|code} as the schedule
     * names its systems ({@code SNOMED}, {@code CDCPHINVS}, {@code CVX}); empty when none.
     */
    public Set<String> observationsFor(String system, String code) {
        return observationsByCodedValue.getOrDefault(system + "|" + code, Set.of());
    }

    /** A vaccine group and the antigens it classifies, in the supporting data's order. */
    public record VaccineGroup(String name, boolean administerFullGroup, List<String> antigens) {}

    /** One antigen a CVX counts for, when given between the association ages. */
    public record CvxAntigen(String antigen, Offset beginAge, Offset endAge) {}

    /** A dose of {@code current} within the interval after a dose of {@code previous} is not valid. */
    public record LiveVirusConflict(
            String previousCvx, String currentCvx, Offset begin, Offset minEnd, Offset end) {}

    public record Antigen(
            String name,
            Set<String> immunityCodes,
            BirthDateImmunity birthDateImmunity,
            List<Contraindication> contraindications,
            List<Series> series) {}

    /** Born before {@code date} (in the country named) is evidence of immunity, unless an exclusion applies. */
    public record BirthDateImmunity(LocalDate date, String country, Set<String> exclusionCodes) {}

    /**
     * An observation that contraindicates the antigen ({@code cvx} empty) or the vaccines listed,
     * between the ages given.
     */
    public record Contraindication(String code, String text, Set<String> cvx, Offset beginAge, Offset endAge) {}

    public enum SeriesType { STANDARD, RISK, EVALUATION_ONLY }

    public record Series(
            String name,
            String antigen,
            String targetDisease,
            String vaccineGroup,
            SeriesType type,
            Set<String> equivalentGroups,
            Set<String> genders,
            boolean defaultSeries,
            boolean productPath,
            String group,
            char priority,
            int preference,
            Offset minAgeToStart,
            Offset maxAgeToStart,
            List<Indication> indications,
            List<SeriesDose> doses) {}

    public record Indication(String code, String description, Offset beginAge, Offset endAge) {}

    public record SeriesDose(
            int number,
            List<Age> ages,
            List<Interval> intervals,
            List<Interval> allowableIntervals,
            List<Vaccine> preferable,
            List<Vaccine> allowable,
            Set<String> inadvertent,
            List<Skip> skips,
            boolean recurring,
            LocalDate seasonStart,
            LocalDate seasonEnd) {

        /** The age rule in effect on a date, or null. */
        Age ageOn(LocalDate date) {
            for (Age a : ages) {
                if (a.period().includes(date)) {
                    return a;
                }
            }
            return null;
        }
    }

    public record Age(
            Offset absMin, Offset min, Offset earliestRec, Offset latestRec, Offset max, Period period) {}

    /** Measured from the previous dose, from the dose satisfying {@code fromTargetDose}, from the most
     * recent of some vaccines, or from an observation. */
    public record Interval(
            boolean fromPrevious,
            Integer fromTargetDose,
            Set<String> fromMostRecent,
            String fromObservation,
            Offset absMin,
            Offset min,
            Offset earliestRec,
            Offset latestRec,
            boolean priority,
            Period period) {}

    public record Vaccine(String cvx, Offset beginAge, Offset endAge, String mvx, boolean forecast) {}

    /** Effective and cessation dates, both inclusive (RELEVANT-1 and 2); null ends are open. */
    public record Period(LocalDate effective, LocalDate cessation) {
        static final Period ALWAYS = new Period(null, null);

        boolean includes(LocalDate date) {
            return (effective == null || !date.isBefore(effective))
                    && (cessation == null || !date.isAfter(cessation));
        }
    }

    public enum SkipContext { EVALUATION, FORECAST, BOTH }

    public record Skip(SkipContext context, boolean anySet, List<SkipSet> sets) {
        boolean appliesTo(boolean evaluation) {
            return context == SkipContext.BOTH
                    || (evaluation ? context == SkipContext.EVALUATION : context == SkipContext.FORECAST);
        }
    }

    public record SkipSet(String description, Period period, boolean anyCondition, List<SkipCondition> conditions) {}

    public enum ConditionType { AGE, COMPLETED_SERIES, INTERVAL, VACCINE_COUNT }

    public enum CountLogic { GREATER_THAN, EQUAL_TO, LESS_THAN }

    public record SkipCondition(
            ConditionType type,
            LocalDate startDate,
            LocalDate endDate,
            Offset beginAge,
            Offset endAge,
            Offset interval,
            int doseCount,
            boolean validOnly,
            CountLogic countLogic,
            Set<String> vaccineTypes,
            Set<String> seriesGroups) {}
}
