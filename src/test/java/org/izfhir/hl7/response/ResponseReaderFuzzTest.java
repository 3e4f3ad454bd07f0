package org.izfhir.hl7.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever bytes a registry sends, reading them gives a classified answer: no exception, no hang.
 * In {@code mvn verify} this replays the corpus in {@code ResponseReaderFuzzTestInputs/};
 * {@code mvn -Pfuzz test} fuzzes for real (set the time with {@code -Djazzer.max_duration=10m}).
 */
class ResponseReaderFuzzTest {

    private final ResponseReader reader = new ResponseReader();

    @FuzzTest(maxDuration = "5m")
    void readingNeverThrows(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        RegistryResponse response = reader.read(text, "FUZZ");

        assertThat(response.kind()).isNotNull();
        assertThat(response.problem()).isNotNull();
    }
}
