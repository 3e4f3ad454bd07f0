package org.izfhir.record;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Collection;
import java.util.function.BiFunction;

/**
 * Decides whether two descriptions of a person (a query, or what two registries said) are the same
 * person: points for each agreeing trait, weighed by how much it tells, and hard stops for
 * what two records of one person cannot disagree on (birth date, sex, birth order), or what tells
 * twins and siblings apart (a different given name on the same birth date and surname). A
 * newborn's placeholder name neither agrees nor disagrees. Stateless and thread-safe.
 */
public final class PersonMatcher {

    /** The FHIR match-grade codes. */
    public enum Grade {
        CERTAIN("certain"), PROBABLE("probable"), POSSIBLE("possible"), CERTAINLY_NOT("certainly-not");

        private final String code;

        Grade(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** Whether this grade is at least as good as {@code other}. */
        public boolean atLeast(Grade other) {
            return ordinal() <= other.ordinal();
        }
    }

    /** A comparison: score in [0, 1], grade, and what decided it (never PHI). */
    public record Match(BigDecimal score, Grade grade, String reason) {
        /** This match, graded no better than {@code best}. */
        Match atMost(Grade best) {
            return grade.atLeast(best) ? new Match(score, best, reason) : this;
        }

        static Match certainlyNot(String reason) {
            return new Match(BigDecimal.ZERO.setScale(2), Grade.CERTAINLY_NOT, reason);
        }
    }

    /** Points for birth date, family, given name and sex all the same: a score of 1. */
    private static final double FULL = 11.0;

    Match compare(PersonTraits a, PersonTraits b) {
        double points = 0;
        boolean sameBirthDate = false;
        if (a.birthDate() != null && b.birthDate() != null) {
            if (a.birthDate().equals(b.birthDate())) {
                points += 4;
                sameBirthDate = true;
            } else if (nearBirthDate(a.birthDate(), b.birthDate())) {
                points += 1;
            } else {
                return Match.certainlyNot("different birth dates");
            }
        }
        if (!a.sex().isEmpty() && !b.sex().isEmpty()) {
            if (!a.sex().equals(b.sex())) {
                return Match.certainlyNot("different sex");
            }
            points += 1;
        }
        if (a.birthOrder() != null && b.birthOrder() != null && !a.birthOrder().equals(b.birthOrder())) {
            return Match.certainlyNot("different birth order");
        }
        Names.Likeness family = best(a.families(), b.families(), Names::family);
        Names.Likeness given = best(a.givens(), b.givens(), Names::given);
        boolean sameFamily = family == Names.Likeness.SAME || family == Names.Likeness.TYPO
                || family == Names.Likeness.PART;
        if (given == Names.Likeness.DIFFERENT && sameFamily && sameBirthDate) {
            return Match.certainlyNot("different given names on the same birth date: twins or siblings");
        }
        points += switch (family) {
            case SAME -> 3;
            case PART -> 2.5;
            case TYPO -> 2;
            case DIFFERENT -> -1.5; // surnames change (marriage, adoption): the other traits must carry it
            default -> 0;
        };
        points += switch (given) {
            case SAME -> 3;
            case NICKNAME -> 2.5;
            case TYPO -> 2;
            case PART -> 1.5;
            case PLACEHOLDER -> 1;
            case DIFFERENT -> -3;
            default -> 0;
        };
        if (!a.mothersMaiden().isEmpty() && !b.mothersMaiden().isEmpty()) {
            Names.Likeness maiden = Names.family(a.mothersMaiden(), b.mothersMaiden());
            points += maiden == Names.Likeness.SAME ? 1.5 : maiden == Names.Likeness.DIFFERENT ? -1.5 : 1;
        }
        if (shares(a.phones(), b.phones())) {
            points += 1.5;
        }
        if (shares(a.postalCodes(), b.postalCodes())) {
            points += 0.5;
        }
        if (shares(a.identifiers(), b.identifiers())) {
            points += 5;
        }
        return grade(points, sameBirthDate, given, family);
    }

    private static Match grade(double points, boolean sameBirthDate, Names.Likeness given, Names.Likeness family) {
        BigDecimal score = BigDecimal.valueOf(Math.max(0, Math.min(1, points / FULL))).setScale(2, RoundingMode.HALF_UP);
        boolean namesAgree = (given == Names.Likeness.SAME || given == Names.Likeness.NICKNAME)
                && family == Names.Likeness.SAME;
        String reason = "birth date " + (sameBirthDate ? "same" : "differs or unknown") + ", given name "
                + given.name().toLowerCase(java.util.Locale.ROOT) + ", family name "
                + family.name().toLowerCase(java.util.Locale.ROOT);
        Grade grade;
        if (points >= 10 && sameBirthDate && namesAgree) {
            grade = Grade.CERTAIN;
        } else if (points >= 8.5 && sameBirthDate) {
            grade = Grade.PROBABLE;
        } else if (points >= 6) {
            grade = Grade.POSSIBLE;
        } else {
            grade = Grade.CERTAINLY_NOT;
        }
        return new Match(score, grade, reason);
    }

    /** One digit off, day and month swapped, or the same day and month a year apart: typing errors. */
    private static boolean nearBirthDate(LocalDate a, LocalDate b) {
        if (a.getMonthValue() == b.getDayOfMonth() && a.getDayOfMonth() == b.getMonthValue() && a.getYear() == b.getYear()) {
            return true;
        }
        String x = a.toString();
        String y = b.toString();
        int differences = 0;
        for (int i = 0; i < x.length(); i++) {
            differences += x.charAt(i) == y.charAt(i) ? 0 : 1;
        }
        return differences == 1;
    }

    private static Names.Likeness best(Collection<String> a, Collection<String> b,
                                       BiFunction<String, String, Names.Likeness> compare) {
        Names.Likeness best = Names.Likeness.UNKNOWN;
        for (String x : a) {
            for (String y : b) {
                Names.Likeness likeness = compare.apply(x, y);
                if (best == Names.Likeness.UNKNOWN || likeness.ordinal() < best.ordinal()) {
                    best = likeness;
                }
            }
        }
        return best;
    }

    private static boolean shares(Collection<String> a, Collection<String> b) {
        for (String value : a) {
            if (b.contains(value)) {
                return true;
            }
        }
        return false;
    }
}
