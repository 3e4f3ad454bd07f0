package org.izfhir.registry.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import org.izfhir.registry.soap.Transport.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** What the clients send is what the WSDLs shipped in {@code src/main/resources/wsdl/} declare. */
class WsdlContractTest {

    private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";
    private static final String WSDL_SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/";

    @ParameterizedTest
    @EnumSource(Transport.class)
    void soapActionsAndElementsAreTheWsdls(Transport transport) throws Exception {
        Document wsdl = wsdl(transport);
        assertThat(wsdl.getDocumentElement().getAttribute("targetNamespace")).isEqualTo(transport.wsdlNamespace());

        for (Operation operation : Operation.values()) {
            Element bindingOperation = byName(wsdl, WSDL, "binding", "operation", wsdlName(transport, operation));
            Element soapOperation = (Element) bindingOperation.getElementsByTagNameNS(WSDL_SOAP12, "operation").item(0);
            assertThat(transport.action(operation)).as(operation.name()).isEqualTo(soapOperation.getAttribute("soapAction"));

            Document sent = parse(SoapCodec.writeRequest(new SoapRequest(transport, operation, "u", "p", "F", "PA", "x")));
            Element portTypeOperation = byName(wsdl, WSDL, "portType", "operation", wsdlName(transport, operation));
            Element input = first(portTypeOperation, "input");
            List<QName> parts = partElements(wsdl, input.getAttribute("message"));
            assertThat(parts).as("body element of " + operation).contains(qname(firstChild(body(sent))));
            if (transport == Transport.IZGW_HUB) {
                assertThat(parts).as("header of " + operation).contains(qname(firstChild(header(sent))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyFaultTheWsdlDeclaresIsOneTheClientKnows(Transport transport) throws Exception {
        Document wsdl = wsdl(transport);
        Element submit = byName(wsdl, WSDL, "portType", "operation", wsdlName(transport, Operation.SUBMIT_SINGLE_MESSAGE));
        List<String> known = Arrays.stream(SoapFault.Kind.values()).map(SoapFault.Kind::wsdlName).toList();
        NodeList faults = submit.getElementsByTagNameNS(WSDL, "fault");
        assertThat(faults.getLength()).isPositive();
        for (int i = 0; i < faults.getLength(); i++) {
            assertThat(known).contains(((Element) faults.item(i)).getAttribute("name"));
        }
    }

    private static String wsdlName(Transport transport, Operation operation) {
        boolean submit = operation == Operation.SUBMIT_SINGLE_MESSAGE;
        if (transport == Transport.CDC_2011) {
            return submit ? "submitSingleMessage" : "connectivityTest";
        }
        return submit ? "SubmitSingleMessage" : "ConnectivityTest";
    }

    private static Document wsdl(Transport transport) throws Exception {
        String file = switch (transport) {
            case CDC_2011 -> "cdc-iis-2011.wsdl";
            case CDC_2014 -> "cdc-iis.wsdl";
            case IZGW_HUB -> "cdc-iis-hub.wsdl";
        };
        try (InputStream in = WsdlContractTest.class.getResourceAsStream("/wsdl/" + file)) {
            return builder().parse(in);
        }
    }

    private static List<QName> partElements(Document wsdl, String messageRef) {
        String name = messageRef.substring(messageRef.indexOf(':') + 1);
        Element message = byName(wsdl, WSDL, "definitions", "message", name);
        List<QName> elements = new ArrayList<>();
        NodeList parts = message.getElementsByTagNameNS(WSDL, "part");
        for (int i = 0; i < parts.getLength(); i++) {
            Element part = (Element) parts.item(i);
            String ref = part.getAttribute("element");
            String prefix = ref.substring(0, ref.indexOf(':'));
            elements.add(new QName(part.lookupNamespaceURI(prefix), ref.substring(ref.indexOf(':') + 1)));
        }
        return elements;
    }

    private static Element byName(Document wsdl, String namespace, String parent, String child, String name) {
        NodeList parents = wsdl.getElementsByTagNameNS(namespace, parent);
        for (int p = 0; p < parents.getLength(); p++) {
            for (Node node = parents.item(p).getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element e && e.getLocalName().equals(child) && e.getAttribute("name").equals(name)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no " + child + " named " + name + " in the WSDL's " + parent);
    }

    private static Element first(Element parent, String localName) {
        return (Element) parent.getElementsByTagNameNS(WSDL, localName).item(0);
    }

    private static Element body(Document envelope) {
        return (Element) envelope.getElementsByTagNameNS(SoapEnvelopes.SOAP_12, "Body").item(0);
    }

    private static Element header(Document envelope) {
        return (Element) envelope.getElementsByTagNameNS(SoapEnvelopes.SOAP_12, "Header").item(0);
    }

    private static Element firstChild(Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e) {
                return e;
            }
        }
        throw new AssertionError("empty " + parent.getLocalName());
    }

    private static QName qname(Element element) {
        return new QName(element.getNamespaceURI(), element.getLocalName());
    }

    private static Document parse(byte[] xml) throws Exception {
        return builder().parse(new ByteArrayInputStream(xml));
    }

    private static javax.xml.parsers.DocumentBuilder builder() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder();
    }
}
