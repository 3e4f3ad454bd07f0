package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An age or interval of the CDSi supporting data ("12 months - 4 days", "24 months + 4 weeks",
 * "19 years"), added to a date by the logic specification's rules (CALCDT-1 to 6): years, then
 * months, each holding the day of month and moving a date that does not exist to the first of
 * the next month, then weeks and days as a count of days.
 */
public record Offset(int years, int months, int days) {

    private static final Pattern TERM = Pattern.compile("([+-])?\\s*(\\d+)\\s*(year|month|week|day)s?");

    /** Parses a supporting data value; null for an empty one. */
    public static Offset parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int years = 0, months = 0, days = 0;
        Matcher m = TERM.matcher(text.trim().toLowerCase());
        int matched = 0;
        while (m.find()) {
            matched++;
            int n = Integer.parseInt(m.group(2)) * ("-".equals(m.group(1)) ? -1 : 1);
            switch (m.group(3)) {
                case "year" -> years += n;
                case "month" -> months += n;
                case "week" -> days += 7 * n;
                default -> days += n;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException("not a CDSi age or interval: " + text);
        }
        return new Offset(years, months, days);
    }

    public LocalDate addTo(LocalDate date) {
        LocalDate d = date;
        if (years != 0) {
            d = calendar(d.getYear() + years, d.getMonthValue(), d.getDayOfMonth());
        }
        if (months != 0) {
            int total = d.getYear() * 12 + d.getMonthValue() - 1 + months;
            d = calendar(Math.floorDiv(total, 12), Math.floorMod(total, 12) + 1, d.getDayOfMonth());
        }
        return days == 0 ? d : d.plusDays(days);
    }

    /** The date, or the first of the next month when the day does not exist in that month (CALCDT-5). */
    private static LocalDate calendar(int year, int month, int day) {
        LocalDate first = LocalDate.of(year, month, 1);
        return day <= first.lengthOfMonth() ? first.withDayOfMonth(day) : first.plusMonths(1);
    }

    /** {@code date + offset}, or null when there is no offset. */
    static LocalDate add(LocalDate date, Offset offset) {
        return offset == null || date == null ? null : offset.addTo(date);
    }
}
