package org.izfhir.registry.soap;

/**
 * What came back in a SOAP envelope: either the operation's answer ({@code content}: the HL7
 * message or the echo) or a fault.
 *
 * @param destinationUri the hub's {@code HubResponseHeader/DestinationUri}, when present
 */
public record SoapReply(String content, SoapFault fault, String destinationUri) {

    public static SoapReply answer(String content, String destinationUri) {
        return new SoapReply(content == null ? "" : content, null, destinationUri);
    }

    public static SoapReply fault(SoapFault fault) {
        return new SoapReply(null, fault, null);
    }

    public boolean isFault() {
        return fault != null;
    }
}
