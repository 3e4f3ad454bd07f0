package org.izfhir.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The card's Bundle, its leaner forms, and the QR code's numeric encoding and size limit. */
class HealthCardsTest {

    private static Patient patient() {
        Patient patient = new Patient().setBirthDateElement(new DateType("2021-03-14"));
        patient.setId("p1");
        patient.addName().setFamily("Rivera").addGiven("Sophia").setText("Sophia Rivera");
        patient.addIdentifier().setValue("MR-1");
        return patient;
    }

    private static Immunization dose() {
        Immunization dose = new Immunization().setStatus(Immunization.ImmunizationStatus.COMPLETED)
                .setOccurrence(new DateTimeType("2021-05-17T10:00:00-04:00")).setLotNumber("PX7K2");
        dose.getVaccineCode().addCoding(new Coding("http://hl7.org/fhir/sid/cvx", "110", "DTaP-Hep B-IPV")).setText("Pediarix");
        dose.setLocation(new Reference().setDisplay("Newark Pediatrics"));
        dose.setId("p1-imm-1");
        return dose;
    }

    @Test
    void whenARecordHasNoCompletedDoseThenTheCardHoldsThePatientOnly() {
        Bundle bundle = HealthCards.bundle(patient(), List.of(), HealthCards.Leanness.FULL);

        assertThat(bundle.getEntry()).hasSize(1);
        Patient person = (Patient) bundle.getEntryFirstRep().getResource();
        assertThat(person.hasId()).isFalse();
        assertThat(person.hasIdentifier()).isFalse();
        assertThat(person.getNameFirstRep().hasText()).isFalse();
        assertThat(person.getBirthDateElement().getValueAsString()).isEqualTo("2021-03-14");
    }

    @Test
    void whenADoseIsCardedThenItIsMinimalAndLeanerFormsDropPerformerThenLot() {
        Immunization full = (Immunization) HealthCards.bundle(patient(), List.of(dose()), HealthCards.Leanness.FULL)
                .getEntry().get(1).getResource();
        assertThat(full.hasId()).isFalse();
        assertThat(full.getVaccineCode().hasText()).isFalse();
        assertThat(full.getVaccineCode().getCodingFirstRep().hasDisplay()).isFalse();
        assertThat(full.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2021-05-17");
        assertThat(full.getPerformerFirstRep().getActor().getDisplay()).isEqualTo("Newark Pediatrics");
        assertThat(full.getLotNumber()).isEqualTo("PX7K2");

        Immunization lean = (Immunization) HealthCards.bundle(patient(), List.of(dose()), HealthCards.Leanness.NO_PERFORMER)
                .getEntry().get(1).getResource();
        assertThat(lean.hasPerformer()).isFalse();
        assertThat(lean.hasLotNumber()).isTrue();
        Immunization leanest = (Immunization) HealthCards.bundle(patient(), List.of(dose()), HealthCards.Leanness.NO_LOT)
                .getEntry().get(1).getResource();
        assertThat(leanest.hasLotNumber()).isFalse();
    }

    @Test
    void whenAJwsIsEncodedForAQrThenItComesBackWhole() {
        String jws = "eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IjNLZm.dGVzdA-_xyz";

        assertThat(HealthCardQr.numeric(jws)).startsWith("shc:/56762909").matches("shc:/\\d+");
        assertThat(HealthCardQr.jws(HealthCardQr.numeric(jws))).isEqualTo(jws);
    }

    @Test
    void whenTheJwsIsAsLongAsOneQrHoldsThenVersion22AtMostAndLongerIsRefused() {
        String longest = "a".repeat(HealthCards.MAX_QR_JWS);

        assertThat(HealthCardQr.code(longest).getVersion().getVersionNumber()).isLessThanOrEqualTo(HealthCardQr.MAX_VERSION);
        assertThatThrownBy(() -> HealthCardQr.code("a".repeat(HealthCards.MAX_QR_JWS + 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }
}
