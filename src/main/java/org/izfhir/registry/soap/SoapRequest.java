package org.izfhir.registry.soap;

import java.util.Objects;

/**
 * One call to a registry's SOAP service, as the client writes it and as a server reads it.
 *
 * @param content       the HL7 message for {@code submitSingleMessage}, the echo text for
 *                      {@code connectivityTest}
 * @param destinationId the IZ Gateway hub's {@code HubRequestHeader/DestinationId}; null for the
 *                      other transports
 */
public record SoapRequest(Transport transport, Transport.Operation operation, String username, String password,
                          String facilityId, String destinationId, String content) {

    public SoapRequest {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(operation, "operation");
        content = content == null ? "" : content;
    }

    @Override
    public String toString() { // never the password nor the message
        return "SoapRequest[" + transport.configName() + " " + operation + ", facility " + facilityId
                + (destinationId == null ? "" : ", destination " + destinationId) + "]";
    }
}
