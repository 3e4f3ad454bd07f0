package org.izfhir.fhir.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A server fault's stack trace goes to the log without the messages, which may quote a client's values. */
class ErrorLogTest {

    @Test
    void whenAFaultIsLoggedThenItsChainKeepsClassesAndFramesButNoMessage() {
        IllegalStateException fault = new IllegalStateException("could not read Zebulon, born 03/14/2021",
                new NumberFormatException("For input string: \"03/14/2021\""));

        Throwable logged = ErrorLog.withoutMessages(fault, 0);

        assertThat(logged.getMessage()).isEqualTo(IllegalStateException.class.getName());
        assertThat(logged.getStackTrace()).isEqualTo(fault.getStackTrace());
        assertThat(logged.getCause().getMessage()).isEqualTo(NumberFormatException.class.getName());
        assertThat(logged.getCause().getStackTrace()).isEqualTo(fault.getCause().getStackTrace());
        assertThat(logged.getCause().getCause()).isNull();
    }
}
