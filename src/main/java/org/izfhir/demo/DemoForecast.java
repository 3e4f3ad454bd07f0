package org.izfhir.demo;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.izfhir.codes.Codes;
import org.izfhir.codes.VaccineGroup;

/**
 * A deliberately simple forecast, as a demo registry's Z42 carries it: per vaccine group, the
 * doses in the routine series, the age for the first dose and the interval between doses. It is
 * not CDC's decision support logic, only enough for realistic Z42 answers.
 */
final class DemoForecast {

    record Dose(LocalDate date, String cvx) {
    }

    /** One routine series: its group (as CDC names it), the CVX standing for it, and its simple rules. */
    private record Series(String group, String cvx, String display, int doses, Period firstAt, int intervalDays,
                          Period agedOutAt) {
    }

    private static final List<Series> CHILDHOOD = List.of(
            new Series("HepB", "45", "Hep B, unspecified formulation", 3, Period.ZERO, 28, Period.ofYears(19)),
            new Series("ROTAVIRUS", "122", "rotavirus, unspecified formulation", 3, Period.ofWeeks(6), 28, Period.ofMonths(8)),
            new Series("DTAP", "107", "DTaP, unspecified formulation", 5, Period.ofWeeks(6), 28, Period.ofYears(7)),
            new Series("HIB", "17", "Hib, unspecified formulation", 4, Period.ofWeeks(6), 28, Period.ofYears(5)),
            new Series("PneumoPCV", "152", "Pneumococcal Conjugate, unspecified formulation", 4, Period.ofWeeks(6), 28, Period.ofYears(5)),
            new Series("POLIO", "89", "polio, unspecified formulation", 4, Period.ofWeeks(6), 28, Period.ofYears(18)),
            new Series("MMR", "03", "MMR", 2, Period.ofMonths(12), 28, Period.ofYears(19)),
            new Series("VARICELLA", "21", "varicella", 2, Period.ofMonths(12), 84, Period.ofYears(19)),
            new Series("HepA", "85", "Hep A, unspecified formulation", 2, Period.ofMonths(12), 182, Period.ofYears(19)));
    private static final Series FLU = new Series("FLU", "88", "influenza, unspecified formulation", 1,
            Period.ofMonths(6), 0, Period.ofYears(200));
    private static final Series TD = new Series("Td", "139", "Td(adult) unspecified formulation", 1,
            Period.ofYears(19), 3650, Period.ofYears(200));

    private final Codes codes;

    DemoForecast(Codes codes) {
        this.codes = codes;
    }

    /** The Z42 forecast part: an ORC, the RXA "no vaccine administered" (CVX 998), and OBX per series. */
    List<String> segments(LocalDate birthDate, List<Dose> doses, LocalDate today, String application) {
        List<String> segments = new ArrayList<>();
        String date = today.format(DateTimeFormatter.BASIC_ISO_DATE);
        segments.add("ORC|RE||9999^" + application);
        segments.add("RXA|0|1|" + date + "|" + date + "|998^No vaccine administered^CVX|999||||||||||||||NA");
        int obx = 1;
        int subId = 1;
        for (Series series : applicable(birthDate, today)) {
            Optional<Recommendation> next = recommend(series, birthDate, doses, today);
            if (next.isEmpty()) {
                continue;
            }
            Recommendation r = next.get();
            String sub = String.valueOf(subId++);
            segments.add(obx(obx++, "CE", "30956-7^vaccine type^LN", sub, series.cvx() + "^" + series.display() + "^CVX"));
            segments.add(obx(obx++, "CE", "59779-9^Immunization Schedule used^LN", sub, "VXC16^ACIP^CDCPHINVS"));
            segments.add(obx(obx++, "CE", "59783-1^Status in immunization series^LN", sub, r.status()));
            if (r.doseNumber() > 0) {
                segments.add(obx(obx++, "NM", "30973-2^Dose number in series^LN", sub, String.valueOf(r.doseNumber())));
                segments.add(obx(obx++, "NM", "59782-3^Number of doses in primary series^LN", sub, String.valueOf(series.doses())));
                segments.add(obx(obx++, "DT", "30981-5^Earliest date to give^LN", sub, iso(r.earliest())));
                segments.add(obx(obx++, "DT", "30980-7^Date vaccine due^LN", sub, iso(r.due())));
                segments.add(obx(obx++, "DT", "59778-1^Date when overdue for immunization^LN", sub, iso(r.overdue())));
            }
        }
        return segments;
    }

    private record Recommendation(String status, int doseNumber, LocalDate earliest, LocalDate due, LocalDate overdue) {
    }

    private static List<Series> applicable(LocalDate birthDate, LocalDate today) {
        List<Series> all = new ArrayList<>();
        if (birthDate.plusYears(19).isAfter(today)) {
            all.addAll(CHILDHOOD);
        } else {
            all.add(TD);
        }
        all.add(FLU);
        return all;
    }

    private Optional<Recommendation> recommend(Series series, LocalDate birthDate, List<Dose> doses, LocalDate today) {
        List<LocalDate> given = doses.stream()
                .filter(d -> codes.vaccineGroups(d.cvx()).stream().map(VaccineGroup::name).anyMatch(series.group()::equals)
                        || series == TD && codes.vaccineGroups(d.cvx()).stream().map(VaccineGroup::name)
                        .anyMatch(n -> n.equals("TDAP") || n.equals("DTAP")))
                .map(Dose::date).sorted(Comparator.naturalOrder()).toList();
        LocalDate last = given.isEmpty() ? null : given.get(given.size() - 1);
        if (series == FLU || series == TD) {
            LocalDate seasonStart = series == FLU
                    ? LocalDate.of(today.getMonthValue() >= 8 ? today.getYear() : today.getYear() - 1, 8, 1)
                    : today.minusDays(series.intervalDays());
            if (last != null && !last.isBefore(seasonStart)) {
                return Optional.of(new Recommendation(complete(), 0, null, null, null));
            }
            LocalDate earliest = max(birthDate.plus(series.firstAt()), series == FLU ? seasonStart : last == null
                    ? birthDate.plus(series.firstAt()) : last.plusDays(series.intervalDays()));
            return Optional.of(due(given.size() + 1, earliest, today));
        }
        if (given.size() >= series.doses()) {
            return Optional.of(new Recommendation(complete(), 0, null, null, null));
        }
        if (!birthDate.plus(series.agedOutAt()).isAfter(today)) {
            return Optional.empty(); // aged out of this routine series: the demo says nothing
        }
        LocalDate earliest = birthDate.plus(series.firstAt());
        if (last != null) {
            earliest = max(earliest, last.plusDays(series.intervalDays()));
        }
        return Optional.of(due(given.size() + 1, earliest, today));
    }

    private static Recommendation due(int doseNumber, LocalDate earliest, LocalDate today) {
        LocalDate overdue = earliest.plusMonths(1);
        String status = overdue.isBefore(today) ? "LA13423-1^Overdue^LN" : "LA13422-3^On schedule^LN";
        return new Recommendation(status, doseNumber, earliest, earliest, overdue);
    }

    private static String complete() {
        return "LA13421-5^Complete^LN";
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static String obx(int setId, String type, String code, String subId, String value) {
        return "OBX|" + setId + "|" + type + "|" + code + "|" + subId + "|" + value + "||||||F";
    }

    private static String iso(LocalDate date) {
        return date.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
