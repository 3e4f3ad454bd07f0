package org.izfhir.demo;

import static org.izfhir.registry.soap.SoapEnvelopes.CDC_2011;
import static org.izfhir.registry.soap.SoapEnvelopes.CDC_2014;
import static org.izfhir.registry.soap.SoapEnvelopes.HUB;
import static org.izfhir.registry.soap.SoapEnvelopes.NS_2011;
import static org.izfhir.registry.soap.SoapEnvelopes.NS_HUB;
import static org.izfhir.registry.soap.SoapEnvelopes.envelope;
import static org.izfhir.registry.soap.SoapEnvelopes.name;
import static org.izfhir.registry.soap.SoapEnvelopes.text;

import jakarta.xml.bind.JAXBElement;
import java.math.BigInteger;
import javax.xml.namespace.QName;
import org.izfhir.registry.soap.SoapEnvelopes.Envelope;
import org.izfhir.registry.soap.SoapEnvelopes.FaultParts;
import org.izfhir.registry.soap.SoapFault;
import org.izfhir.registry.soap.SoapFormatException;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;
import org.izfhir.registry.soap.Transport.Operation;
import org.izfhir.registry.soap.cdc2011.ConnectivityTestRequestType;
import org.izfhir.registry.soap.cdc2011.ConnectivityTestResponseType;
import org.izfhir.registry.soap.cdc2011.SoapFaultType;
import org.izfhir.registry.soap.cdc2011.SubmitSingleMessageRequestType;
import org.izfhir.registry.soap.cdc2011.SubmitSingleMessageResponseType;
import org.izfhir.registry.soap.cdc2014.MessageTooLargeFaultType;
import org.izfhir.registry.soap.hub.DestinationConnectionFaultType;
import org.izfhir.registry.soap.hub.HubRequestHeaderType;
import org.izfhir.registry.soap.hub.HubResponseHeaderType;
import org.izfhir.registry.soap.hub.UnknownDestinationFaultType;

/**
 * A registry's side of the CDC IIS service, as the demo registries (and tests' stand-in peers)
 * play it: reads a call, writes the reply or a fault as the transport's WSDL declares it.
 * Thread-safe.
 */
public final class RegistrySoapCodec {

    private RegistrySoapCodec() {
    }

    /**
     * Reads a call as a registry (or the hub) receives it.
     *
     * @throws SoapFormatException when the bytes are not a SOAP envelope or name no operation of these WSDLs
     */
    public static SoapRequest readRequest(byte[] body) throws SoapFormatException {
        Envelope envelope = Envelope.parse(body);
        Object hubHeader = envelope.headerBlock(NS_HUB, "HubRequestHeader");
        String destinationId = hubHeader instanceof HubRequestHeaderType hub ? hub.getDestinationId() : null;
        Transport modern = hubHeader != null ? Transport.IZGW_HUB : Transport.CDC_2014;
        Object value = envelope.unmarshal(envelope.payload());
        if (value instanceof SubmitSingleMessageRequestType r) {
            return new SoapRequest(Transport.CDC_2011, Operation.SUBMIT_SINGLE_MESSAGE, text(r.getUsername()),
                    text(r.getPassword()), text(r.getFacilityID()), null, text(r.getHl7Message()));
        }
        if (value instanceof ConnectivityTestRequestType r) {
            return new SoapRequest(Transport.CDC_2011, Operation.CONNECTIVITY_TEST, null, null, null, null,
                    r.getEchoBack());
        }
        if (value instanceof org.izfhir.registry.soap.cdc2014.SubmitSingleMessageRequestType r) {
            return new SoapRequest(modern, Operation.SUBMIT_SINGLE_MESSAGE, text(r.getUsername()),
                    text(r.getPassword()), text(r.getFacilityID()), destinationId, r.getHl7Message());
        }
        if (value instanceof org.izfhir.registry.soap.cdc2014.ConnectivityTestRequestType r) {
            return new SoapRequest(modern, Operation.CONNECTIVITY_TEST, null, null, null, destinationId,
                    text(r.getEchoBack()));
        }
        throw new SoapFormatException("the SOAP body holds " + name(envelope.payload())
                + ", not an operation of the CDC IIS service");
    }

    /** The answer to a call: the HL7 reply or the echo, with the hub's response header for the hub. */
    public static byte[] writeReply(SoapRequest request, String content, String destinationUri) {
        boolean submit = request.operation() == Operation.SUBMIT_SINGLE_MESSAGE;
        JAXBElement<?> payload;
        if (request.transport() == Transport.CDC_2011) {
            if (submit) {
                SubmitSingleMessageResponseType answer = CDC_2011.createSubmitSingleMessageResponseType();
                answer.setReturn(CDC_2011.createSubmitSingleMessageResponseTypeReturn(content));
                payload = CDC_2011.createSubmitSingleMessageResponse(answer);
            } else {
                ConnectivityTestResponseType echo = CDC_2011.createConnectivityTestResponseType();
                echo.setReturn(content);
                payload = CDC_2011.createConnectivityTestResponse(echo);
            }
        } else if (submit) {
            var answer = CDC_2014.createSubmitSingleMessageResponseType();
            answer.setHl7Message(content);
            payload = CDC_2014.createSubmitSingleMessageResponse(answer);
        } else {
            var echo = CDC_2014.createConnectivityTestResponseType();
            echo.setEchoBack(CDC_2014.createConnectivityTestResponseTypeEchoBack(content));
            payload = CDC_2014.createConnectivityTestResponse(echo);
        }
        JAXBElement<?> header = null;
        if (request.transport() == Transport.IZGW_HUB) {
            HubResponseHeaderType hub = HUB.createHubResponseHeaderType();
            hub.setDestinationId(request.destinationId());
            hub.setDestinationUri(destinationUri);
            header = HUB.createHubResponseHeader(hub);
        }
        return envelope(header, payload, null);
    }

    /**
     * A fault as the transport's WSDL declares it. A fault the transport does not declare (say a
     * hub fault on the 2011 service) is written without detail, as an unknown fault.
     *
     * @param destinationUri used by the hub's destination faults
     */
    public static byte[] writeFault(Transport transport, SoapFault fault, String destinationId, String destinationUri) {
        return envelope(null, null, new FaultParts(fault, faultDetail(transport, fault, destinationId, destinationUri)));
    }

    private static JAXBElement<?> faultDetail(Transport transport, SoapFault fault, String destinationId, String destinationUri) {
        BigInteger code = BigInteger.valueOf(fault.kind().ordinal() + 1L);
        if (fault.kind().hubOnly() && transport != Transport.IZGW_HUB) {
            return null;
        }
        if (transport == Transport.CDC_2011) {
            // the four 2011 fault types have one content model (Code, Reason, Detail): one class writes them all
            SoapFaultType t = CDC_2011.createSoapFaultType();
            t.setCode(CDC_2011.createSoapFaultTypeCode(code));
            t.setReason(CDC_2011.createSoapFaultTypeReason(fault.reason()));
            t.setDetail(CDC_2011.createSoapFaultTypeDetail(fault.detail()));
            String element = fault.kind() == SoapFault.Kind.UNKNOWN ? "fault" : fault.kind().wsdlName();
            return new JAXBElement<>(new QName(NS_2011, element), SoapFaultType.class, t);
        }
        return switch (fault.kind()) {
            case SECURITY -> CDC_2014.createSecurityFault(CDC_2014.createSecurityFaultType());
            case MESSAGE_TOO_LARGE -> {
                MessageTooLargeFaultType t = CDC_2014.createMessageTooLargeFaultType();
                t.setSize(BigInteger.ZERO);
                t.setMaxSize(BigInteger.ZERO);
                yield CDC_2014.createMessageTooLargeFault(t);
            }
            case UNSUPPORTED_OPERATION -> CDC_2014.createUnsupportedOperationFault(CDC_2014.createUnsupportedOperationFaultType());
            case DESTINATION_CONNECTION, HUB_CLIENT -> {
                // one content model (DestinationId, DestinationUri) under two element names
                DestinationConnectionFaultType t = HUB.createDestinationConnectionFaultType();
                t.setDestinationId(destinationId);
                t.setDestinationUri(destinationUri);
                yield new JAXBElement<>(new QName(NS_HUB, fault.kind().wsdlName()), DestinationConnectionFaultType.class, t);
            }
            case UNKNOWN_DESTINATION -> {
                UnknownDestinationFaultType t = HUB.createUnknownDestinationFaultType();
                t.setDestinationId(destinationId);
                yield HUB.createUnknownDestinationFault(t);
            }
            case UNKNOWN -> null;
        };
    }
}
