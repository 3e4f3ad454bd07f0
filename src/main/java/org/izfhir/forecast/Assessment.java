package org.izfhir.forecast;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** What the engine is asked: a patient's birth date, sex, doses and observations, as of a date. */
public record Assessment(
        LocalDate assessmentDate,
        LocalDate birthDate,
        Sex sex,
        List<Dose> doses,
        List<Observation> observations) {

    public enum Sex { FEMALE, MALE, UNKNOWN }

    /** A dose administered; {@code id} is the caller's own reference, handed back in evaluations. */
    public record Dose(String id, LocalDate date, String cvx, String mvx) {
        public Dose {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(cvx, "cvx");
        }
    }

    /** A CDSi coded observation (condition, contraindication, evidence of immunity); date may be null. */
    public record Observation(String code, LocalDate date) {}

    public Assessment {
        Objects.requireNonNull(assessmentDate, "assessmentDate");
        Objects.requireNonNull(birthDate, "birthDate");
        sex = sex == null ? Sex.UNKNOWN : sex;
        doses = List.copyOf(doses);
        observations = List.copyOf(observations);
    }
}
