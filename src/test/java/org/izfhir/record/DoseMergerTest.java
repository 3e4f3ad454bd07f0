package org.izfhir.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Immunization;
import org.izfhir.codes.CodeSetLoader;
import org.izfhir.codes.Codes;
import org.izfhir.hl7.CodingSystems;
import org.junit.jupiter.api.Test;

class DoseMergerTest {

    private static final Codes CODES = CodeSetLoader.load(name -> DoseMergerTest.class.getResourceAsStream("/codes/" + name));

    private final DoseMerger merger = new DoseMerger(CODES);

    @Test
    void whenCombinationAndUnspecifiedPartOnOneDayThenOneDoseKeepingTheCombination() {
        Immunization pediarix = dose("110", "2021-09-20", true).setLotNumber("PX8A1");
        Immunization historical = dose("107", "2021-09-20", false);

        List<DoseMerger.Merged> merged = merger.merge(List.of(
                new DoseMerger.Reported("NY", historical), new DoseMerger.Reported("NJ", pediarix)));

        assertThat(merged).singleElement().satisfies(m -> {
            assertThat(m.immunization().getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("110");
            assertThat(m.registries()).containsExactly("NY", "NJ");
            assertThat(m.immunization().getNote()).extracting(n -> n.getText())
                    .containsExactly("NY reported this dose as CVX 107");
        });
    }

    @Test
    void whenLotNumbersDisagreeThenTheOtherIsKeptAsANote() {
        Immunization nj = dose("08", "2021-03-15", true).setLotNumber("HB21A3");
        Immunization ny = dose("08", "2021-03-15", true).setLotNumber("HB21A4");
        ny.addIdentifier().setSystem("urn:ny").setValue("NY1");

        Immunization merged = merger.merge(List.of(new DoseMerger.Reported("NJ", nj),
                new DoseMerger.Reported("NY", ny))).get(0).immunization();

        assertThat(merged.getLotNumber()).isEqualTo("HB21A3");
        assertThat(merged.getNote()).extracting(n -> n.getText()).containsExactly("NY reported lot number HB21A4");
        assertThat(merged.getIdentifier()).extracting(i -> i.getValue()).contains("NY1");
    }

    @Test
    void whenDifferentDaysGroupsOrCompletionThenDosesStayApart() {
        List<DoseMerger.Merged> merged = merger.merge(List.of(
                new DoseMerger.Reported("NJ", dose("08", "2021-03-15", true)),
                new DoseMerger.Reported("NY", dose("08", "2021-03-16", true)),
                new DoseMerger.Reported("NY", dose("03", "2021-03-15", true)),
                new DoseMerger.Reported("PA", dose("08", "2021-03-15", true).setStatus(Immunization.ImmunizationStatus.NOTDONE)),
                new DoseMerger.Reported("NJ", dose("08", "2021-03-15", true)))); // the same registry twice: its own business

        assertThat(merged).hasSize(5);
    }

    @Test
    void whenEnteredInErrorThenLeftOut() {
        List<DoseMerger.Merged> merged = merger.merge(List.of(new DoseMerger.Reported("NJ",
                dose("08", "2021-03-15", true).setStatus(Immunization.ImmunizationStatus.ENTEREDINERROR))));

        assertThat(merged).isEmpty();
    }

    private static Immunization dose(String cvx, String date, boolean administered) {
        Immunization dose = new Immunization();
        dose.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        dose.getVaccineCode().addCoding().setSystem(CodingSystems.CVX).setCode(cvx);
        dose.setOccurrence(new DateTimeType(date));
        dose.setPrimarySource(administered);
        return dose;
    }
}
