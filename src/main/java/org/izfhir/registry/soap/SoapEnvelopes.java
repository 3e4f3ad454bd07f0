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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.glassfish.jaxb.core.marshaller.CharacterEscapeHandler;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The SOAP 1.2 envelopes of the CDC IIS service, for both sides of a call: JAXB for the payloads
 * (classes generated from the WSDLs' schemas, written as fragments straight into the envelope's
 * text: no DOM, no serializer pass, twice the rate), the HL7 segment separator CR sent as
 * {@code &#13;} (a raw CR would reach the peer as LF after XML line-end normalization), and
 * lenient reading: SOAP 1.1 or 1.2, CDATA or escaped text, any prefixes. DTDs are refused (no
 * entity expansion from a peer's document). Thread-safe.
 */
public final class SoapEnvelopes {

    public static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
    public static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";

    public static final String NS_2011 = "urn:cdc:iisb:2011";
    static final String NS_2014 = "urn:cdc:iisb:2014";
    public static final String NS_HUB = "urn:cdc:iisb:hub:2014";

    public static final org.izfhir.registry.soap.cdc2011.ObjectFactory CDC_2011 =
            new org.izfhir.registry.soap.cdc2011.ObjectFactory();
    public static final org.izfhir.registry.soap.cdc2014.ObjectFactory CDC_2014 =
            new org.izfhir.registry.soap.cdc2014.ObjectFactory();
    public static final org.izfhir.registry.soap.hub.ObjectFactory HUB =
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

    private SoapEnvelopes() {
    }

    /** A fault to write: the fault, and its detail element as the transport's WSDL declares it (or null). */
    public record FaultParts(SoapFault fault, JAXBElement<?> detail) {
    }

    /** A SOAP 1.2 envelope: the header block (or null), then the body's payload or fault. */
    public static byte[] envelope(JAXBElement<?> header, JAXBElement<?> payload, FaultParts fault) {
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
    public record Envelope(Element header, Element body) {

        public static Envelope parse(byte[] bytes) throws SoapFormatException {
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

        public Element payload() throws SoapFormatException {
            Element first = firstElement(body);
            if (first == null) {
                throw new SoapFormatException("the SOAP body is empty");
            }
            return first;
        }

        /** The header block with this name, bound; null when absent or not bindable. */
        public Object headerBlock(String namespace, String localName) {
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

        public Object unmarshal(Element element) throws SoapFormatException {
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

    static boolean isEnvelopeNamespace(String namespace) {
        return SOAP_12.equals(namespace) || SOAP_11.equals(namespace);
    }

    static Element child(Element parent, String localName) {
        for (Element element : elements(parent)) {
            if (localName.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    static Element firstElement(Element parent) {
        List<Element> all = elements(parent);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<Element> elements(Element parent) {
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

    static String text(Element element) {
        return element == null ? "" : element.getTextContent().strip();
    }

    /** The value of an optional element, or null. */
    public static String text(JAXBElement<String> element) {
        return element == null ? null : element.getValue();
    }

    /** An element's qualified name, for messages. */
    public static String name(Element element) {
        QName name = new QName(element.getNamespaceURI(), element.getLocalName());
        return name.toString();
    }
}
