package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.izfhir.registry.RegistryFailure.Kind;
import org.izfhir.registry.soap.SoapFault;
import org.junit.jupiter.api.Test;

/**
 * How a registry's SOAP fault is classified: what kind of failure, whether sending again may help,
 * and whether it tells the circuit breaker that the registry is unwell (rather than that our call
 * was bad). The network failures are classified on real sockets by RegistryTransportContractIT.
 */
class RegistryFailureTest {

    private static RegistryFailure of(SoapFault.Kind kind, boolean receiver) {
        return RegistryFailure.of("NJ", new SoapFault(kind, receiver, "reason", "detail"));
    }

    @Test
    void whenTheRegistryBlamesItselfWithAnUnknownFaultThenRetryableAndUnwell() {
        RegistryFailure failure = of(SoapFault.Kind.UNKNOWN, true);

        assertThat(failure.kind()).isEqualTo(Kind.UNKNOWN_FAULT);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.registryUnwell()).isTrue();
    }

    @Test
    void whenTheRegistryBlamesTheSenderThenNeitherRetriedNorCountedAgainstIt() {
        RegistryFailure failure = of(SoapFault.Kind.UNKNOWN, false);

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.registryUnwell()).isFalse();
    }

    @Test
    void whenTheHubCannotReachTheRegistryThenRetryableAndUnwell() {
        RegistryFailure failure = of(SoapFault.Kind.DESTINATION_CONNECTION, true);

        assertThat(failure.kind()).isEqualTo(Kind.DESTINATION_CONNECTION_FAULT);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.registryUnwell()).isTrue();
    }

    @Test
    void whenTheRegistryReportsAnErrorThroughTheHubThenUnwellButNotRetried() {
        RegistryFailure failure = of(SoapFault.Kind.HUB_CLIENT, true);

        assertThat(failure.kind()).isEqualTo(Kind.HUB_CLIENT_FAULT);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.registryUnwell()).isTrue();
    }

    @Test
    void whenOurCallIsAtFaultThenNeitherRetriedNorCountedAgainstTheRegistry() {
        for (SoapFault.Kind ours : new SoapFault.Kind[] {SoapFault.Kind.SECURITY, SoapFault.Kind.MESSAGE_TOO_LARGE,
                SoapFault.Kind.UNSUPPORTED_OPERATION, SoapFault.Kind.UNKNOWN_DESTINATION}) {
            RegistryFailure failure = of(ours, true);
            assertThat(failure.retryable()).as(ours.name()).isFalse();
            assertThat(failure.registryUnwell()).as(ours.name()).isFalse();
            assertThat(failure.kind().tag()).as(ours.name()).endsWith("-fault");
        }
    }

    @Test
    void whenAFailureIsReportedThenItsMessageNamesTheRegistryAndWhatWasSaid() {
        RegistryFailure failure = of(SoapFault.Kind.SECURITY, false);

        assertThat(failure.getMessage()).startsWith("NJ: the registry refused our credentials (SecurityFault)")
                .contains("reason");
        assertThat(failure.getStackTrace()).as("an expected outcome: no stack trace").isEmpty();
        assertThat(failure.notRetryable().retryable()).isFalse();
    }
}
