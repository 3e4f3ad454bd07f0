package org.izfhir.registry.soap;

import static org.izfhir.registry.soap.SoapEnvelopes.CDC_2011;
import static org.izfhir.registry.soap.SoapEnvelopes.CDC_2014;
import static org.izfhir.registry.soap.SoapEnvelopes.HUB;
import static org.izfhir.registry.soap.SoapEnvelopes.NS_HUB;
import static org.izfhir.registry.soap.SoapEnvelopes.SOAP_12;
import static org.izfhir.registry.soap.SoapEnvelopes.child;
import static org.izfhir.registry.soap.SoapEnvelopes.envelope;
import static org.izfhir.registry.soap.SoapEnvelopes.firstElement;
import static org.izfhir.registry.soap.SoapEnvelopes.isEnvelopeNamespace;
import static org.izfhir.registry.soap.SoapEnvelopes.name;
import static org.izfhir.registry.soap.SoapEnvelopes.text;

import jakarta.xml.bind.JAXBElement;
import java.util.List;
import java.util.StringJoiner;
import org.izfhir.registry.soap.SoapEnvelopes.Envelope;
import org.izfhir.registry.soap.Transport.Operation;
import org.izfhir.registry.soap.cdc2011.ConnectivityTestRequestType;
import org.izfhir.registry.soap.cdc2011.ConnectivityTestResponseType;
import org.izfhir.registry.soap.cdc2011.SubmitSingleMessageRequestType;
import org.izfhir.registry.soap.cdc2011.SubmitSingleMessageResponseType;
import org.izfhir.registry.soap.hub.HubRequestHeaderType;
import org.izfhir.registry.soap.hub.HubResponseHeaderType;
import org.w3c.dom.Element;

/**
 * The client's side of the three CDC transports (CDC 2011, CDC 2014, the IZ Gateway hub): writes
 * a call's envelope and reads a registry's reply, an answer or a fault recognised by its element
 * whatever the HTTP status was. The envelopes themselves are {@link SoapEnvelopes}'. Thread-safe.
 */
public final class SoapCodec {

    /** The media type of SOAP 1.2 over HTTP; the SOAP action goes in its {@code action} parameter. */
    public static final String MEDIA_TYPE = "application/soap+xml";

    private SoapCodec() {
    }

    /** The {@code Content-Type} of a request for this operation: SOAP 1.2 with its WSDL action. */
    public static String contentType(Transport transport, Operation operation) {
        return MEDIA_TYPE + "; charset=utf-8; action=\"" + transport.action(operation) + "\"";
    }

    public static byte[] writeRequest(SoapRequest request) {
        JAXBElement<?> header = request.transport() == Transport.IZGW_HUB ? hubRequestHeader(request.destinationId()) : null;
        return envelope(header, requestPayload(request), null);
    }

    private static JAXBElement<?> requestPayload(SoapRequest request) {
        boolean submit = request.operation() == Operation.SUBMIT_SINGLE_MESSAGE;
        if (request.transport() == Transport.CDC_2011) {
            if (!submit) {
                ConnectivityTestRequestType test = CDC_2011.createConnectivityTestRequestType();
                test.setEchoBack(request.content());
                return CDC_2011.createConnectivityTest(test);
            }
            SubmitSingleMessageRequestType submitMessage = CDC_2011.createSubmitSingleMessageRequestType();
            if (request.username() != null) {
                submitMessage.setUsername(CDC_2011.createSubmitSingleMessageRequestTypeUsername(request.username()));
            }
            if (request.password() != null) {
                submitMessage.setPassword(CDC_2011.createSubmitSingleMessageRequestTypePassword(request.password()));
            }
            if (request.facilityId() != null) {
                submitMessage.setFacilityID(CDC_2011.createSubmitSingleMessageRequestTypeFacilityID(request.facilityId()));
            }
            submitMessage.setHl7Message(CDC_2011.createSubmitSingleMessageRequestTypeHl7Message(request.content()));
            return CDC_2011.createSubmitSingleMessage(submitMessage);
        }
        if (!submit) {
            var test = CDC_2014.createConnectivityTestRequestType();
            test.setEchoBack(CDC_2014.createConnectivityTestRequestTypeEchoBack(request.content()));
            return CDC_2014.createConnectivityTestRequest(test);
        }
        var submitMessage = CDC_2014.createSubmitSingleMessageRequestType();
        if (request.username() != null) {
            submitMessage.setUsername(CDC_2014.createSubmitSingleMessageRequestTypeUsername(request.username()));
        }
        if (request.password() != null) {
            submitMessage.setPassword(CDC_2014.createSubmitSingleMessageRequestTypePassword(request.password()));
        }
        if (request.facilityId() != null) {
            submitMessage.setFacilityID(CDC_2014.createSubmitSingleMessageRequestTypeFacilityID(request.facilityId()));
        }
        submitMessage.setHl7Message(request.content());
        return CDC_2014.createSubmitSingleMessageRequest(submitMessage);
    }

    private static JAXBElement<HubRequestHeaderType> hubRequestHeader(String destinationId) {
        HubRequestHeaderType header = HUB.createHubRequestHeaderType();
        header.setDestinationId(destinationId);
        return HUB.createHubRequestHeader(header);
    }

    /**
     * Reads a registry's reply: the operation's answer or a fault.
     *
     * @throws SoapFormatException when the bytes are not a SOAP envelope, or the body holds
     *                             neither an answer nor a fault of these WSDLs
     */
    public static SoapReply readReply(byte[] body) throws SoapFormatException {
        Envelope envelope = Envelope.parse(body);
        Element payload = envelope.payload();
        if (payload.getLocalName().equals("Fault") && isEnvelopeNamespace(payload.getNamespaceURI())) {
            return SoapReply.fault(fault(payload));
        }
        String destinationUri = null;
        Object header = envelope.headerBlock(NS_HUB, "HubResponseHeader");
        if (header instanceof HubResponseHeaderType hub) {
            destinationUri = hub.getDestinationUri();
        }
        Object value = envelope.unmarshal(payload);
        if (value instanceof SubmitSingleMessageResponseType answer) {
            return SoapReply.answer(text(answer.getReturn()), destinationUri);
        }
        if (value instanceof ConnectivityTestResponseType echo) {
            return SoapReply.answer(echo.getReturn(), destinationUri);
        }
        if (value instanceof org.izfhir.registry.soap.cdc2014.SubmitSingleMessageResponseType answer) {
            return SoapReply.answer(answer.getHl7Message(), destinationUri);
        }
        if (value instanceof org.izfhir.registry.soap.cdc2014.ConnectivityTestResponseType echo) {
            return SoapReply.answer(text(echo.getEchoBack()), destinationUri);
        }
        throw new SoapFormatException("the SOAP body holds " + name(payload) + ", not an answer of the CDC IIS service");
    }

    private static SoapFault fault(Element fault) {
        boolean soap12 = SOAP_12.equals(fault.getNamespaceURI());
        String code = soap12 ? text(child(child(fault, "Code"), "Value")) : text(child(fault, "faultcode"));
        String reason = soap12 ? text(child(child(fault, "Reason"), "Text")) : text(child(fault, "faultstring"));
        boolean receiver = code.endsWith("Receiver") || code.endsWith("Server");
        Element detail = firstElement(child(fault, soap12 ? "Detail" : "detail"));
        if (detail == null) {
            return new SoapFault(SoapFault.Kind.UNKNOWN, receiver, reason, "");
        }
        SoapFault.Kind kind = switch (detail.getLocalName()) {
            case "SecurityFault" -> SoapFault.Kind.SECURITY;
            case "MessageTooLargeFault" -> SoapFault.Kind.MESSAGE_TOO_LARGE;
            case "UnsupportedOperationFault" -> SoapFault.Kind.UNSUPPORTED_OPERATION;
            case "DestinationConnectionFault" -> SoapFault.Kind.DESTINATION_CONNECTION;
            case "UnknownDestinationFault" -> SoapFault.Kind.UNKNOWN_DESTINATION;
            case "HubClientFault" -> SoapFault.Kind.HUB_CLIENT;
            default -> SoapFault.Kind.UNKNOWN;
        };
        return new SoapFault(kind, receiver, reason, describeDetail(detail));
    }

    /**
     * The declared detail in words, from the child elements the fault types declare (2011: Code,
     * Reason, Detail; 2014: Size, MaxSize; hub: DestinationId, DestinationUri), read by name so a
     * peer's extra or missing elements do not matter.
     */
    private static String describeDetail(Element detail) {
        StringJoiner words = new StringJoiner(", ");
        String code = text(child(detail, "Code"));
        if (!code.isEmpty()) {
            words.add("code " + code);
        }
        for (String part : List.of(text(child(detail, "Reason")), text(child(detail, "Detail")))) {
            if (!part.isEmpty()) {
                words.add(part);
            }
        }
        String size = text(child(detail, "Size"));
        if (!size.isEmpty()) {
            words.add("size " + size + " bytes, at most " + text(child(detail, "MaxSize")));
        }
        String destination = text(child(detail, "DestinationId"));
        if (!destination.isEmpty()) {
            String uri = text(child(detail, "DestinationUri"));
            words.add("destination " + destination + (uri.isEmpty() ? "" : " at " + uri));
        }
        return words.toString();
    }
}
