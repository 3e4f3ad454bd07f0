package org.izfhir.hl7.response;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.izfhir.hl7.Hl7TestMessages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every answer in the test data reads, and the outcome matches what its name says. */
class EveryAnswerReadTest {

    private final ResponseReader reader = new ResponseReader();

    static Stream<String> igAnswers() throws IOException, URISyntaxException {
        Path folder = Path.of(EveryAnswerReadTest.class.getResource("/hl7/ig").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString().replace(".hl7", ""))
                    .filter(name -> name.startsWith("rsp-") || name.startsWith("ack-")).sorted().toList().stream();
        }
    }

    static Stream<String> sandboxAnswers() throws IOException, URISyntaxException {
        Path folder = Path.of(EveryAnswerReadTest.class.getResource("/hl7/sandbox").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".hl7.resp.xml"))
                    .filter(name -> !name.startsWith("badpw")) // a SOAP fault, no HL7: the transport's concern
                    .map(name -> name.replace(".hl7.resp.xml", "")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("igAnswers")
    void everyGuideAnswerIsReadWithTheOutcomeItsNameSays(String scenario) {
        RegistryResponse response = reader.read(Hl7TestMessages.ig(scenario), "IG");

        assertThat(response.kind().answered()).as(response.problem()).isTrue();
        if (scenario.startsWith("rsp-z32")) {
            assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY);
            assertThat(response.patient()).isNotNull();
            assertThat(response.immunizations()).isNotEmpty().allSatisfy(i -> assertThat(i.hasVaccineCode()).isTrue());
        }
        if (scenario.startsWith("rsp-z42")) {
            assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY_AND_FORECAST);
        }
    }

    @ParameterizedTest
    @MethodSource("sandboxAnswers")
    void everySandboxAnswerIsRead(String capture) {
        RegistryResponse response = reader.read(Hl7TestMessages.sandboxAnswer(capture), "SANDBOX");

        assertThat(response.kind().answered()).as(response.problem()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("igAnswers")
    void whenSeparatorsAreLfOrCrlfThenTheSameResourcesComeOut(String scenario) {
        String cr = Hl7TestMessages.ig(scenario);
        var parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
        RegistryResponse a = reader.read(cr, "IG");
        RegistryResponse b = reader.read(cr.replace("\r", "\r\n") + "\r\n\u001C\r", "IG");

        assertThat(b.kind()).isEqualTo(a.kind());
        assertThat(b.immunizations()).hasSameSizeAs(a.immunizations());
        for (int i = 0; i < a.immunizations().size(); i++) {
            assertThat(parser.encodeResourceToString(b.immunizations().get(i).copy().setPatient(null)))
                    .isEqualTo(parser.encodeResourceToString(a.immunizations().get(i).copy().setPatient(null)));
        }
        assertThat(b.patient() == null ? "" : parser.encodeResourceToString(b.patient()))
                .isEqualTo(a.patient() == null ? "" : parser.encodeResourceToString(a.patient()));
    }
}
