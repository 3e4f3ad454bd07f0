package org.izfhir.hl7.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.izfhir.hl7.Hl7TestMessages.ig;

import org.junit.jupiter.api.Test;

class SameAnswerTest {

    private static final String FIRST = ig("rsp-z32-history-with-iis-id");

    /** The answer as a second exchange brings it: its own time and control id, the new query's echoed. */
    private static String askedAgain(String answer) {
        return answer.replace("|200911300200-0500||RSP^K11^RSP_K11|7731029|", "|200912010815-0500||RSP^K11^RSP_K11|X88|")
                .replace("MSA|AA|793543", "MSA|AA|Q2")
                .replace("QAK|1072|OK", "QAK|T2|OK")
                .replace("CDCPHINVS|1072|", "CDCPHINVS|T2|");
    }

    @Test
    void whenOnlyTheExchangeFieldsDifferThenTheSameAnswer() {
        String again = askedAgain(FIRST);

        assertThat(again).isNotEqualTo(FIRST);
        assertThat(SameAnswer.of(FIRST, again)).isTrue();
        assertThat(SameAnswer.of(again, FIRST)).isTrue();
    }

    @Test
    void whenAskedWithOtherDetailsThenTheSameAnswer() {
        assertThat(SameAnswer.of(FIRST, askedAgain(FIRST).replace("|Que^Suzy^^^^^M|20050512|M|10 East Main St^^Myfaircity^GA^^^L",
                "||20050512|M|"))).as("the query echoed in QPD").isTrue();
    }

    @Test
    void whenLineEndsDifferThenTheSameAnswer() {
        assertThat(SameAnswer.of(FIRST, askedAgain(FIRST).replace("\r", "\r\n"))).isTrue();
        assertThat(SameAnswer.of(FIRST, FIRST.replace("\r", "\n") + "\n\n")).isTrue();
    }

    @Test
    void whenAnythingElseDiffersThenAnotherAnswer() {
        String again = askedAgain(FIRST);

        assertThat(SameAnswer.of(FIRST, again.replace("RXA|0|1|20050725", "RXA|0|1|20050726"))).isFalse();
        assertThat(SameAnswer.of(FIRST, again.replace("QAK|T2|OK", "QAK|T2|NF"))).isFalse();
        assertThat(SameAnswer.of(FIRST, again.replace("|P|2.5.1|", "|T|2.5.1|"))).as("MSH-11").isFalse();
        assertThat(SameAnswer.of(FIRST, again.replace("MSA|AA|Q2", "MSA|AE|Q2"))).as("MSA-1").isFalse();
        assertThat(SameAnswer.of(FIRST, again + "NTE|1||a note\r")).as("one segment more").isFalse();
        assertThat(SameAnswer.of(FIRST, again.substring(0, again.lastIndexOf("\r", again.length() - 2) + 1)))
                .as("one segment less").isFalse();
        assertThat(SameAnswer.of(FIRST, again.replace("MSA|AA|Q2", "MSA|AA|Q2|extra"))).as("a field more").isFalse();
    }

    @Test
    void whenNotMessagesThenNeverTheSame() {
        assertThat(SameAnswer.of(null, FIRST)).isFalse();
        assertThat(SameAnswer.of("", "")).isFalse();
        assertThat(SameAnswer.of("This registry is in maintenance", "This registry is in maintenance")).isFalse();
        assertThat(SameAnswer.of(FIRST, FIRST.replace('|', '#'))).isFalse();
    }
}
