package org.izfhir.codes;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One CDC CVX code (vaccine administered).
 *
 * @param cvx         the code, normalized by {@link Codes#normalizeCvx(String)}
 * @param shortName   CDC's short description, used as the display
 * @param fullName    CDC's full vaccine name
 * @param status      CDC's status of the code
 * @param notes       CDC's notes, empty when none
 * @param lastUpdated when CDC last changed the entry, or {@code null} when CDC gives no date
 * @see <a href="https://www2.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx">CDC CVX code set</a>
 */
public record Vaccine(String cvx, String shortName, String fullName, CodeStatus status, String notes,
                      LocalDate lastUpdated) {

    public Vaccine {
        Objects.requireNonNull(cvx, "cvx");
        Objects.requireNonNull(shortName, "shortName");
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(notes, "notes");
    }
}
