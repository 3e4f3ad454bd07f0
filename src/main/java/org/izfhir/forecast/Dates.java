package org.izfhir.forecast;

import java.time.LocalDate;

/** The date arithmetic every CDSi chapter shares: periods whose ends may be open, the later of two dates. */
final class Dates {

    static final LocalDate FAR_PAST = LocalDate.of(1900, 1, 1);
    static final LocalDate FAR_FUTURE = LocalDate.of(2999, 12, 31);

    private Dates() {
    }

    /** begin ≤ date < end, each end open when null. */
    static boolean between(LocalDate date, LocalDate begin, LocalDate end) {
        return (begin == null || !date.isBefore(begin)) && (end == null || date.isBefore(end));
    }

    /** The later of two dates, either of which may be absent. */
    static LocalDate latest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    static LocalDate orPast(LocalDate d) {
        return d == null ? FAR_PAST : d;
    }

    static LocalDate orFuture(LocalDate d) {
        return d == null ? FAR_FUTURE : d;
    }
}
