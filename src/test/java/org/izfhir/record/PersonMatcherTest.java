package org.izfhir.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.hl7.Extensions;
import org.izfhir.record.PersonMatcher.Grade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonMatcherTest {

    private final PersonMatcher matcher = new PersonMatcher();

    @ParameterizedTest(name = "{0} {1} and {2} {3}: {4}")
    @CsvSource({
            "Rivera, Sophia, Rivera, Sophia, CERTAIN",
            "Johnson, William, Johnson, Bill, CERTAIN",          // nickname
            "O'Connor, Liam, OCONNOR, Liam, CERTAIN",            // punctuation and case
            "Muñoz, José, Munoz, Jose, CERTAIN",                 // accents
            "Rivera-Lopez, Sophia, Rivera, Sophia, PROBABLE",     // one part of a hyphenated surname
            "Jonhson, Marcus, Johnson, Marcus, PROBABLE",         // transposed letters
            "Smith, Baby Boy, Smith, Noah, PROBABLE",             // a newborn's placeholder, with the mother's name
            "Chen, Ava, Chen, Mia, CERTAINLY_NOT",                // twins
            "Davis, Emma, Brown, Olivia, CERTAINLY_NOT"})
    void whenTwoReportsComparedThenGraded(String familyA, String givenA, String familyB, String givenB, Grade grade) {
        Patient a = person(familyA, givenA, "2021-03-14", AdministrativeGender.FEMALE, "Clark");
        Patient b = person(familyB, givenB, "2021-03-14", AdministrativeGender.FEMALE, "Clark");

        assertThat(matcher.compare(PersonTraits.of(a), PersonTraits.of(b)).grade()).isEqualTo(grade);
    }

    @Test
    void whenBirthDateOrSexDifferThenCertainlyNot() {
        Patient a = person("Rivera", "Sophia", "2021-03-14", AdministrativeGender.FEMALE, "Lopez");

        assertThat(compare(a, person("Rivera", "Sophia", "2019-11-02", AdministrativeGender.FEMALE, "Lopez")).grade())
                .isEqualTo(Grade.CERTAINLY_NOT);
        assertThat(compare(a, person("Rivera", "Sophia", "2021-03-14", AdministrativeGender.MALE, "Lopez")).grade())
                .isEqualTo(Grade.CERTAINLY_NOT);
    }

    @Test
    void whenBirthDateHasOneTypoThenStillPossibleButNeverCertain() {
        Patient a = person("Rivera", "Sophia", "2021-03-14", AdministrativeGender.FEMALE, "Lopez");
        Patient typo = person("Rivera", "Sophia", "2021-03-15", AdministrativeGender.FEMALE, "Lopez");
        Patient dayAndMonth = person("Rivera", "Sophia", "2021-04-03", AdministrativeGender.FEMALE, "Lopez");
        Patient swapped = person("Rivera", "Sophia", "2021-03-04", AdministrativeGender.FEMALE, "Lopez");

        assertThat(compare(a, typo).grade()).isEqualTo(Grade.POSSIBLE);
        assertThat(compare(dayAndMonth, swapped).grade()).isEqualTo(Grade.POSSIBLE);
    }

    @Test
    void whenBirthOrderDiffersThenCertainlyNotEvenWithTheSameName() {
        Patient first = person("Chen", "Ava", "2023-05-10", AdministrativeGender.FEMALE, "Wong");
        first.setMultipleBirth(new IntegerType(1));
        Patient second = person("Chen", "Ava", "2023-05-10", AdministrativeGender.FEMALE, "Wong");
        second.setMultipleBirth(new IntegerType(2));

        assertThat(compare(first, second).grade()).isEqualTo(Grade.CERTAINLY_NOT);
        assertThat(compare(first, second).reason()).contains("birth order");
    }

    @Test
    void whenSurnameChangedThenOtherTraitsCarryTheMatch() {
        Patient maiden = person("Walsh", "Grace", "2005-12-01", AdministrativeGender.FEMALE, "Byrne");
        maiden.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("973-555-0100");
        Patient married = person("Kelly", "Grace", "2005-12-01", AdministrativeGender.FEMALE, "Byrne");
        married.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("9735550100");

        PersonMatcher.Match match = compare(maiden, married);

        assertThat(match.grade()).isEqualTo(Grade.PROBABLE);
        assertThat(match.score()).isLessThan(java.math.BigDecimal.ONE);
    }

    private PersonMatcher.Match compare(Patient a, Patient b) {
        return matcher.compare(PersonTraits.of(a), PersonTraits.of(b));
    }

    private static Patient person(String family, String given, String birthDate, AdministrativeGender gender,
                                  String mothersMaiden) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven(given);
        patient.setBirthDateElement(new DateType(birthDate));
        patient.setGender(gender);
        patient.addExtension(Extensions.MOTHERS_MAIDEN_NAME, new StringType(mothersMaiden));
        return patient;
    }
}
