package org.izfhir.registry;

import java.util.Locale;
import org.izfhir.registry.soap.SoapFault;

/**
 * Why a call to a registry brought back no HL7 answer: what failed, in words without PHI, and
 * whether trying again can help.
 */
public final class RegistryFailure extends Exception {

    /** Every way a call can fail, from the network up to the registry's own SOAP faults. */
    public enum Kind {
        CONNECTION_REFUSED("the registry refused the connection"),
        UNKNOWN_HOST("the registry's host name does not resolve"),
        TLS("the TLS handshake with the registry failed"),
        CONNECT_TIMEOUT("no connection to the registry within the connect timeout"),
        TIMEOUT("no answer from the registry in time"),
        NETWORK("the connection to the registry broke"),
        HTTP_ERROR("the registry answered with an HTTP error"),
        NOT_SOAP("the registry's answer is not a SOAP envelope"),
        ANSWER_TOO_LARGE("the registry's answer is larger than allowed"),
        UNKNOWN_FAULT("the registry answered with a SOAP fault"),
        SECURITY_FAULT("the registry refused our credentials (SecurityFault)"),
        MESSAGE_TOO_LARGE_FAULT("the registry found our message too large (MessageTooLargeFault)"),
        UNSUPPORTED_OPERATION_FAULT("the registry does not support the operation (UnsupportedOperationFault)"),
        DESTINATION_CONNECTION_FAULT("the hub could not reach the registry (DestinationConnectionFault)"),
        UNKNOWN_DESTINATION_FAULT("the hub does not know the destination (UnknownDestinationFault)"),
        HUB_CLIENT_FAULT("the hub received an error from the registry (HubClientFault)"),
        CIRCUIT_OPEN("calls to the registry are paused after repeated failures"),
        TOO_MANY_CALLS("too many calls to the registry are already in flight");

        private final String meaning;

        Kind(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }

        /** The name used in metrics and logs: lower case with dashes. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind of(SoapFault.Kind fault) {
            return switch (fault) {
                case UNKNOWN -> UNKNOWN_FAULT;
                case SECURITY -> SECURITY_FAULT;
                case MESSAGE_TOO_LARGE -> MESSAGE_TOO_LARGE_FAULT;
                case UNSUPPORTED_OPERATION -> UNSUPPORTED_OPERATION_FAULT;
                case DESTINATION_CONNECTION -> DESTINATION_CONNECTION_FAULT;
                case UNKNOWN_DESTINATION -> UNKNOWN_DESTINATION_FAULT;
                case HUB_CLIENT -> HUB_CLIENT_FAULT;
            };
        }
    }

    private final String registryId;
    private final Kind kind;
    private final boolean retryable;
    private final String detail;

    public RegistryFailure(String registryId, Kind kind, boolean retryable, String detail) {
        super(registryId + ": " + kind.meaning() + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.registryId = registryId;
        this.kind = kind;
        this.retryable = retryable;
        this.detail = detail == null ? "" : detail;
    }

    /** A registry's SOAP fault: a retry helps only when the registry or the hub blames itself. */
    static RegistryFailure of(String registryId, SoapFault fault) {
        boolean retryable = switch (fault.kind()) {
            case UNKNOWN -> fault.receiverFault();
            case DESTINATION_CONNECTION -> true;
            default -> false;
        };
        return new RegistryFailure(registryId, Kind.of(fault.kind()), retryable, fault.explain());
    }

    public String registryId() {
        return registryId;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same call may succeed if sent again (the registry is busy or the network hiccupped). */
    public boolean retryable() {
        return retryable;
    }

    /** What the registry, the hub or the network said; never HL7 content. */
    public String detail() {
        return detail;
    }

    /** Whether the failure says the registry is unwell (counted by its circuit breaker), not that our call was bad. */
    public boolean registryUnwell() {
        return retryable || kind == Kind.UNKNOWN_HOST || kind == Kind.TLS || kind == Kind.NOT_SOAP
                || kind == Kind.HUB_CLIENT_FAULT;
    }

    RegistryFailure notRetryable() {
        return retryable ? new RegistryFailure(registryId, kind, false, detail) : this;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome, reported by kind; a stack trace adds nothing
    }
}
