package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.izfhir.hl7.Hl7TestMessages;
import org.junit.jupiter.api.Test;

class Hl7LogMaskTest {

    @Test
    void keepsRoutingAndErrorsAndHidesEverythingAboutThePerson() {
        String masked = Hl7LogMask.mask(Hl7TestMessages.ig("rsp-z32-history-with-iis-id"));

        assertThat(masked).startsWith("MSH|^~\\&|").contains(" / MSA|").contains(" / QAK|")
                .contains("PID|<").contains("fields masked>");
        assertThat(masked).doesNotContain("Child").doesNotContain("20090214").doesNotContain("Main St");
    }

    @Test
    void keepsErrSegments() {
        assertThat(Hl7LogMask.mask(Hl7TestMessages.ig("rsp-z33-ae-missing-field"))).contains("ERR|");
    }

    @Test
    void emptyAndOddInputStaySafe() {
        assertThat(Hl7LogMask.mask(null)).isEqualTo("(empty)");
        assertThat(Hl7LogMask.mask("   ")).isEqualTo("(empty)");
        assertThat(Hl7LogMask.mask("Jane Doe born 2001-01-01")).isEqualTo("???|<0 fields masked>");
    }
}
