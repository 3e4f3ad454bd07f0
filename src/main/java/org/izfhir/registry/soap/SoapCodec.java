package org.izfhir.registry.soap;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.StringJoiner;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.glassfish.jaxb.core.marshaller.CharacterEscapeHandler;
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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Writes and reads the SOAP 1.2 envelopes of the three CDC transports. The payloads are bound by
 * JAXB classes generated from the WSDLs' schemas and written as fragments straight into the
 * envelope's text (no DOM, no serializer pass: twice the rate); the HL7 segment separator CR is
 * sent as {@code &#13;} (a raw CR would reach the peer as LF after XML line-end normalization).
 *
 * <p>Reading is lenient where peers differ: SOAP 1.1 or 1.2, CDATA or escaped text, any
 * prefixes, and a fault recognised by its element whatever the HTTP status was. DTDs are refused
 * (no entity expansion from a peer's document). All methods are thread-safe.
 */
public final class SoapCodec {

    public static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
    public static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    /** The media type of SOAP 1.2 over HTTP; the SOAP action goes in its {@code action} parameter. */
    public static final String MEDIA_TYPE = "application/soap+xml";

    private static final String NS_2011 = "urn:cdc:iisb:2011";
    private static final String NS_2014 = "urn:cdc:iisb:2014";
    private static final String NS_HUB = "urn:cdc:iisb:hub:2014";

    private static final org.izfhir.registry.soap.cdc2011.ObjectFactory CDC_2011 =
            new org.izfhir.registry.soap.cdc2011.ObjectFactory();
    private static final org.izfhir.registry.soap.cdc2014.ObjectFactory CDC_2014 =
            new org.izfhir.registry.soap.cdc2014.ObjectFactory();
    private static final org.izfhir.registry.soap.hub.ObjectFactory HUB =
            new org.izfhir.registry.soap.hub.ObjectFactory();

    /** All three schemas, for reading. */
    private static final JAXBContext JAXB;
    /** One schema each, for writing: a peer sees only the namespaces its WSDL uses. */
    private static final JAXBContext JAXB_2011;
    private static final JAXBContext JAXB_2014;
    private static final JAXBContext JAXB_HUB;
    private static final DocumentBuilderFactory DOCUMENTS;

    static {
        try {
            JAXB = JAXBContext.newInstance(org.izfhir.registry.soap.cdc2011.ObjectFactory.class,
                    org.izfhir.registry.soap.cdc2014.ObjectFactory.class,
                    org.izfhir.registry.soap.hub.ObjectFactory.class);
            JAXB_2011 = JAXBContext.newInstance(org.izfhir.registry.soap.cdc2011.ObjectFactory.class);
            JAXB_2014 = JAXBContext.newInstance(org.izfhir.registry.soap.cdc2014.ObjectFactory.class);
            JAXB_HUB = JAXBContext.newInstance(org.izfhir.registry.soap.hub.ObjectFactory.class);
            // The JDK's own parser, whatever else the class path offers.
            DOCUMENTS = DocumentBuilderFactory.newDefaultInstance();
            DOCUMENTS.setNamespaceAware(true);
            DOCUMENTS.setExpandEntityReferences(false);
            DOCUMENTS.setXIncludeAware(false);
            DOCUMENTS.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DOCUMENTS.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (JAXBException | ParserConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Parsers ready for use: making one costs more than parsing an envelope. A pool rather than one
     * per thread, because the JDK's common pool (where answers are read) erases thread locals.
     */
    private static final Queue<DocumentBuilder> PARSERS = new ConcurrentLinkedQueue<>();

    private SoapCodec() {
    }

    /** The {@code Content-Type} of a request for this operation: SOAP 1.2 with its WSDL action. */
    public static String contentType(Transport transport, Operation operation) {
        return MEDIA_TYPE + "; charset=utf-8; action=\"" + transport.action(operation) + "\"";
    }

    // ---------------------------------------------------------------- client side: write requests, read replies

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

    // ---------------------------------------------------------------- server side: read requests, write replies

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

    // ---------------------------------------------------------------- envelopes

    private record FaultParts(SoapFault fault, JAXBElement<?> detail) {
    }

    private static byte[] envelope(JAXBElement<?> header, JAXBElement<?> payload, FaultParts fault) {
        try {
            StringWriter out = new StringWriter(1024);
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"" + SOAP_12 + "\"><soap:Header>");
            if (header != null) {
                marshal(header, out);
            }
            out.write("</soap:Header><soap:Body>");
            if (payload != null) {
                marshal(payload, out);
            }
            if (fault != null) {
                out.write("<soap:Fault><soap:Code><soap:Value>" + (fault.fault().receiverFault() ? "soap:Receiver" : "soap:Sender")
                        + "</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">");
                ESCAPES.escape(fault.fault().reason().toCharArray(), 0, fault.fault().reason().length(), false, out);
                out.write("</soap:Text></soap:Reason>");
                if (fault.detail() != null) {
                    out.write("<soap:Detail>");
                    marshal(fault.detail(), out);
                    out.write("</soap:Detail>");
                }
                out.write("</soap:Fault>");
            }
            out.write("</soap:Body></soap:Envelope>");
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (JAXBException | IOException e) {
            throw new IllegalStateException("could not write a SOAP envelope", e);
        }
    }

    /** Writes a payload as a fragment of the envelope, with its own namespace declarations. */
    private static void marshal(JAXBElement<?> element, Writer out) throws JAXBException {
        String namespace = element.getName().getNamespaceURI();
        JAXBContext context = NS_2011.equals(namespace) ? JAXB_2011 : NS_2014.equals(namespace) ? JAXB_2014 : JAXB_HUB;
        Marshaller marshaller = context.createMarshaller();
        marshaller.setProperty(Marshaller.JAXB_FRAGMENT, true);
        marshaller.setProperty("org.glassfish.jaxb.characterEscapeHandler", ESCAPES);
        marshaller.marshal(element, out);
    }

    /**
     * XML escaping that also writes CR as a character reference: HL7 separates segments with CR,
     * and a raw CR reaches the peer's parser as LF (XML line-end normalization).
     */
    private static final CharacterEscapeHandler ESCAPES = (chars, start, length, attribute, out) -> {
        int from = start;
        for (int i = start; i < start + length; i++) {
            String escape = switch (chars[i]) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '\r' -> "&#13;";
                case '"' -> attribute ? "&quot;" : null;
                case '\n' -> attribute ? "&#10;" : null;
                case '\t' -> attribute ? "&#9;" : null;
                default -> null;
            };
            if (escape != null) {
                out.write(chars, from, i - from);
                out.write(escape);
                from = i + 1;
            }
        }
        out.write(chars, from, start + length - from);
    };

    private static Document document(byte[] bytes) throws SAXException, IOException {
        DocumentBuilder parser = PARSERS.poll();
        if (parser == null) {
            try {
                parser = DOCUMENTS.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("no XML parser", e);
            }
        }
        try {
            parser.setErrorHandler(null);
            return parser.parse(new ByteArrayInputStream(bytes));
        } finally {
            parser.reset();
            PARSERS.offer(parser);
        }
    }

    /** A parsed envelope: its header blocks and the first element of its body. */
    private record Envelope(Element header, Element body) {

        static Envelope parse(byte[] bytes) throws SoapFormatException {
            if (bytes == null || bytes.length == 0) {
                throw new SoapFormatException("the body is empty");
            }
            Document document;
            try {
                document = document(bytes);
            } catch (SAXException e) {
                throw new SoapFormatException("the body is not well-formed XML", e);
            } catch (IOException e) {
                throw new SoapFormatException("the body could not be read as XML", e);
            }
            Element root = document.getDocumentElement();
            if (!root.getLocalName().equals("Envelope") || !isEnvelopeNamespace(root.getNamespaceURI())) {
                throw new SoapFormatException("the XML is " + name(root) + ", not a SOAP envelope");
            }
            Element body = child(root, "Body");
            if (body == null) {
                throw new SoapFormatException("the SOAP envelope has no Body");
            }
            return new Envelope(child(root, "Header"), body);
        }

        Element payload() throws SoapFormatException {
            Element first = firstElement(body);
            if (first == null) {
                throw new SoapFormatException("the SOAP body is empty");
            }
            return first;
        }

        /** The header block with this name, bound; null when absent or not bindable. */
        Object headerBlock(String namespace, String localName) {
            for (Element block : elements(header)) {
                if (localName.equals(block.getLocalName()) && namespace.equals(block.getNamespaceURI())) {
                    try {
                        return unmarshal(block);
                    } catch (SoapFormatException e) {
                        return null;
                    }
                }
            }
            return null;
        }

        Object unmarshal(Element element) throws SoapFormatException {
            String namespace = element.getNamespaceURI();
            if (!NS_2011.equals(namespace) && !NS_2014.equals(namespace) && !NS_HUB.equals(namespace)) {
                throw new SoapFormatException("the SOAP body holds " + name(element)
                        + ", which is in none of the CDC IIS namespaces");
            }
            try {
                Object value = JAXB.createUnmarshaller().unmarshal(element);
                return value instanceof JAXBElement<?> jaxb ? jaxb.getValue() : value;
            } catch (JAXBException | RuntimeException e) {
                throw new SoapFormatException("the SOAP body's " + name(element) + " does not match the WSDL", e);
            }
        }
    }

    private static boolean isEnvelopeNamespace(String namespace) {
        return SOAP_12.equals(namespace) || SOAP_11.equals(namespace);
    }

    private static Element child(Element parent, String localName) {
        for (Element element : elements(parent)) {
            if (localName.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        List<Element> all = elements(parent);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element) {
                    found.add(element);
                }
            }
        }
        return found;
    }

    private static String text(Element element) {
        return element == null ? "" : element.getTextContent().strip();
    }

    private static String text(JAXBElement<String> element) {
        return element == null ? null : element.getValue();
    }

    private static String name(Element element) {
        QName name = new QName(element.getNamespaceURI(), element.getLocalName());
        return name.toString();
    }
}
