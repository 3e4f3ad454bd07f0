package org.izfhir.demo;

import org.izfhir.registry.soap.SoapFault;

/** What a demo registry can be told to do wrong, to show and test how the server copes. */
public enum DemoFault {
    /** Answer normally. */
    NONE(null),
    UNKNOWN_FAULT(SoapFault.Kind.UNKNOWN),
    SECURITY_FAULT(SoapFault.Kind.SECURITY),
    MESSAGE_TOO_LARGE_FAULT(SoapFault.Kind.MESSAGE_TOO_LARGE),
    UNSUPPORTED_OPERATION_FAULT(SoapFault.Kind.UNSUPPORTED_OPERATION),
    /** Hub faults, written in the hub's namespace. */
    DESTINATION_CONNECTION_FAULT(SoapFault.Kind.DESTINATION_CONNECTION),
    UNKNOWN_DESTINATION_FAULT(SoapFault.Kind.UNKNOWN_DESTINATION),
    HUB_CLIENT_FAULT(SoapFault.Kind.HUB_CLIENT),
    /** HTTP 503 with an HTML page, as a proxy in front of a registry answers. */
    HTTP_ERROR(null),
    /** HTTP 200 with an HTML login page instead of SOAP. */
    NOT_SOAP(null),
    /** A SOAP answer whose content is not HL7. */
    MALFORMED_HL7(null),
    /** A SOAP answer of about 9 MB (the client's default limit is 8 MB). */
    OVERSIZE(null),
    /** An HL7 answer that rejects the message (MSA and QAK AE, with an ERR). */
    REJECT(null),
    /** A VXU is kept, and acknowledged AE with a warning (a missing phone number), as real registries do. */
    WARN(null),
    /** A VXU is refused: ACK AR, with an error. */
    REFUSE(null),
    /** No answer at all: the request is held until the server's async timeout. */
    NO_ANSWER(null);

    private final SoapFault.Kind soapFault;

    DemoFault(SoapFault.Kind soapFault) {
        this.soapFault = soapFault;
    }

    /** The SOAP fault to answer with; null when this is not a SOAP fault. */
    SoapFault.Kind soapFault() {
        return soapFault;
    }
}
