package org.izfhir.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeSetLoaderTest {

    private static Codes codes;

    @BeforeAll
    static void loadShippedSnapshot() {
        codes = CodeSetLoader.load(CodeSetLoaderTest::shipped);
    }

    private static InputStream shipped(String name) {
        return CodeSetLoaderTest.class.getResourceAsStream("/codes/" + name);
    }

    @Test
    void whenShippedSnapshotLoadedThenEveryCvxEntryIsThere() throws IOException {
        String xml = new String(shipped(CodeSetLoader.CVX).readAllBytes(), StandardCharsets.ISO_8859_1);
        Matcher entries = Pattern.compile("<CVXInfo>").matcher(xml);
        long expected = entries.results().count();

        assertThat(expected).isEqualTo(288);
        assertThat(codes.vaccines()).hasSize((int) expected);
    }

    @Test
    void whenCvxLookedUpThenAnyWrittenFormFindsIt() {
        assertThat(codes.vaccine("3")).get().extracting(Vaccine::shortName).isEqualTo("MMR");
        assertThat(codes.vaccine("03 ")).get().extracting(Vaccine::cvx).isEqualTo("03");
        assertThat(codes.vaccine("003")).isPresent();
        assertThat(codes.vaccine("nonsense")).isEmpty();
        assertThat(codes.vaccine(null)).isEmpty();
    }

    @Test
    void whenCvxLoadedThenStatusNotesAndDateAreKept() {
        Vaccine adenovirus = codes.vaccine("143").orElseThrow();
        assertThat(adenovirus.status()).isEqualTo(CodeStatus.ACTIVE);
        assertThat(adenovirus.notes()).contains("2 tablets");
        assertThat(adenovirus.lastUpdated()).isEqualTo(LocalDate.of(2011, 3, 20));
        assertThat(codes.vaccine("54").orElseThrow().status()).isEqualTo(CodeStatus.INACTIVE);
    }

    @Test
    void whenCombinationVaccineThenItBelongsToEachGroup() {
        assertThat(codes.vaccineGroups("94")).extracting(VaccineGroup::name).containsExactlyInAnyOrder("MMR", "VARICELLA");
        assertThat(codes.vaccineGroups("20")).extracting(VaccineGroup::name).containsExactly("DTAP");
        assertThat(codes.vaccineGroups("08")).extracting(VaccineGroup::cvx).containsExactly("45");
        assertThat(codes.vaccineGroups("unknown")).isEmpty();
    }

    @Test
    void whenMvxLookedUpThenCaseDoesNotMatter() {
        assertThat(codes.manufacturer("pmc")).get().extracting(Manufacturer::name).isEqualTo("Sanofi Pasteur");
        assertThat(codes.manufacturers()).hasSize(89);
    }

    @Test
    void whenNdcWrittenInAnyStandardFormThenItIsFound() {
        NdcProduct nuvaxovid = codes.ndc("80631-0207-01").orElseThrow();
        assertThat(nuvaxovid.cvx()).isEqualTo("313");
        assertThat(nuvaxovid.mvx()).isEqualTo("NVX");
        assertThat(nuvaxovid.packaging()).isEqualTo(NdcProduct.Packaging.UNIT_OF_USE);
        assertThat(codes.ndc("80631020701")).contains(nuvaxovid);
        assertThat(codes.ndc("80631-207-01")).contains(nuvaxovid);
        assertThat(codes.ndc("80631-0207-10")).get().extracting(NdcProduct::packaging)
                .isEqualTo(NdcProduct.Packaging.UNIT_OF_SALE);
        assertThat(codes.ndc("not-an-ndc")).isEmpty();
    }

    @Test
    void whenTenDigitNdcWithoutHyphensThenEachPaddingIsTried() {
        assertThat(Codes.ndcCandidates("1234567890"))
                .containsExactly("01234567890", "12345067890", "12345678900");
    }

    @Test
    void whenFileMissingThenTheErrorNamesIt() {
        assertThatThrownBy(() -> CodeSetLoader.load(name -> name.equals(CodeSetLoader.MVX) ? null : shipped(name)))
                .isInstanceOf(CodeSetLoader.CodeSetException.class)
                .hasMessageContaining("mvx.xml");
    }

    @Test
    void whenStatusUnknownThenTheErrorNamesFileAndCode() {
        String cvx = "<CVXCodes><CVXInfo><ShortDescription>x</ShortDescription><FullVaccinename>x</FullVaccinename>"
                + "<CVXCode>999</CVXCode><Status>Retired</Status></CVXInfo></CVXCodes>";
        assertThatThrownBy(() -> CodeSetLoader.load(name -> name.equals(CodeSetLoader.CVX)
                ? new ByteArrayInputStream(cvx.getBytes(StandardCharsets.UTF_8)) : shipped(name)))
                .isInstanceOf(CodeSetLoader.CodeSetException.class)
                .hasMessageContaining("cvx.xml code 999").hasMessageContaining("Retired");
    }

    @Test
    void whenXmlDeclaresDoctypeThenItIsRefused() {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><CVXCodes>&e;</CVXCodes>";
        assertThatThrownBy(() -> CodeSetLoader.load(name -> name.equals(CodeSetLoader.CVX)
                ? new ByteArrayInputStream(hostile.getBytes(StandardCharsets.UTF_8)) : shipped(name)))
                .isInstanceOf(CodeSetLoader.CodeSetException.class).hasMessageContaining("cvx.xml");
    }
}
