package org.izfhir.codes;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One CDC MVX code (vaccine manufacturer).
 *
 * @param mvx         the code, upper case
 * @param name        the manufacturer's name
 * @param status      CDC's status of the code
 * @param notes       CDC's notes, empty when none
 * @param lastUpdated when CDC last changed the entry, or {@code null}
 */
public record Manufacturer(String mvx, String name, CodeStatus status, String notes, LocalDate lastUpdated) {

    public Manufacturer {
        Objects.requireNonNull(mvx, "mvx");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(notes, "notes");
    }
}
