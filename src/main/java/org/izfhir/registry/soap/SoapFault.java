package org.izfhir.registry.soap;

/**
 * A SOAP fault from a registry or the hub, classified by the fault element its WSDL declares.
 *
 * @param receiverFault true when the fault code blames the receiver (SOAP 1.2 {@code Receiver},
 *                      SOAP 1.1 {@code Server}), false when it blames the sender
 * @param reason        the fault's reason text
 * @param detail        what the declared detail element says, in words; empty when there is none
 */
public record SoapFault(Kind kind, boolean receiverFault, String reason, String detail) {

    public SoapFault {
        reason = reason == null ? "" : reason.strip();
        detail = detail == null ? "" : detail.strip();
    }

    /** The faults the CDC WSDLs declare; a fault without a declared detail is {@link #UNKNOWN}. */
    public enum Kind {
        UNKNOWN("UnknownFault"),
        SECURITY("SecurityFault"),
        MESSAGE_TOO_LARGE("MessageTooLargeFault"),
        UNSUPPORTED_OPERATION("UnsupportedOperationFault"),
        DESTINATION_CONNECTION("DestinationConnectionFault"),
        UNKNOWN_DESTINATION("UnknownDestinationFault"),
        HUB_CLIENT("HubClientFault");

        private final String wsdlName;

        Kind(String wsdlName) {
            this.wsdlName = wsdlName;
        }

        /** The fault's name in the WSDLs. */
        public String wsdlName() {
            return wsdlName;
        }

        /** Declared by the IZ Gateway hub's WSDL only. */
        public boolean hubOnly() {
            return this == DESTINATION_CONNECTION || this == UNKNOWN_DESTINATION || this == HUB_CLIENT;
        }
    }

    /** One line for logs and outcomes: the fault's name, reason and detail. */
    public String describe() {
        String explanation = explain();
        return explanation.isEmpty() ? kind.wsdlName() : kind.wsdlName() + ": " + explanation;
    }

    /** The reason and the detail, without the fault's name. */
    public String explain() {
        if (detail.isEmpty() || detail.equals(reason)) {
            return reason;
        }
        return reason.isEmpty() ? detail : reason + " (" + detail + ")";
    }
}
