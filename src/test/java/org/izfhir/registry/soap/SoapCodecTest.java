package org.izfhir.registry.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.izfhir.demo.RegistrySoapCodec;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.registry.soap.Transport.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SoapCodecTest {

    private static final String QBP = "MSH|^~\\&|IZFHIR|MYORG|NJIIS|NJ|20260101120000+0000||QBP^Q11^QBP_Q11|Q1|P|2.5.1\r"
            + "QPD|Z34^Request Immunization History^CDCPHINVS|T1||Snow^Madelynn&Ann^^^^^L\r";

    private static SoapRequest submit(Transport transport) {
        return new SoapRequest(transport, Operation.SUBMIT_SINGLE_MESSAGE, "user", "secret", "MYORG",
                transport == Transport.IZGW_HUB ? "nj-iis" : null, QBP);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSubmittedMessageTravelsWithItsCarriageReturnsAsCharacterReferences(Transport transport) throws Exception {
        byte[] wire = SoapCodec.writeRequest(submit(transport));
        String xml = new String(wire, StandardCharsets.UTF_8);

        assertThat(xml).doesNotContain("\r").containsAnyOf("&#13;QPD|", "&#xD;QPD|").contains("Snow^Madelynn&amp;Ann");
        assertThat(xml).contains(SoapEnvelopes.SOAP_12);
        SoapRequest read = RegistrySoapCodec.readRequest(wire);
        assertThat(read).isEqualTo(submit(transport));
        assertThat(read.content()).isEqualTo(QBP);
    }

    @Test
    void eachTransportWritesTheElementsItsWsdlNames() {
        assertThat(xml(submit(Transport.CDC_2011))).contains("submitSingleMessage xmlns=\"urn:cdc:iisb:2011\"")
                .contains("<username>user</username>").contains("<facilityID>MYORG</facilityID>")
                .contains("<hl7Message>MSH|");
        assertThat(xml(submit(Transport.CDC_2014))).contains("SubmitSingleMessageRequest xmlns=\"urn:cdc:iisb:2014\"")
                .contains("<Username>user</Username>").contains("<FacilityID>MYORG</FacilityID>")
                .doesNotContain("HubRequestHeader");
        assertThat(xml(submit(Transport.IZGW_HUB))).contains("HubRequestHeader xmlns=\"urn:cdc:iisb:hub:2014\"")
                .contains("<DestinationId>nj-iis</DestinationId>").contains("SubmitSingleMessageRequest");
    }

    @Test
    void theSoapActionTravelsInTheContentType() {
        assertThat(SoapCodec.contentType(Transport.CDC_2011, Operation.SUBMIT_SINGLE_MESSAGE))
                .isEqualTo("application/soap+xml; charset=utf-8; action=\"urn:cdc:iisb:2011:submitSingleMessage\"");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void repliesAndEchoesRoundTrip(Transport transport) throws Exception {
        SoapReply reply = SoapCodec.readReply(RegistrySoapCodec.writeReply(submit(transport), "MSH|^~\\&|A\rMSA|AA|Q1\r", "https://iis/x"));
        assertThat(reply.isFault()).isFalse();
        assertThat(reply.content()).isEqualTo("MSH|^~\\&|A\rMSA|AA|Q1\r");
        assertThat(reply.destinationUri()).isEqualTo(transport == Transport.IZGW_HUB ? "https://iis/x" : null);

        SoapRequest test = new SoapRequest(transport, Operation.CONNECTIVITY_TEST, null, null, null, "nj-iis", "ping");
        assertThat(RegistrySoapCodec.readRequest(SoapCodec.writeRequest(test)).content()).isEqualTo("ping");
        assertThat(SoapCodec.readReply(RegistrySoapCodec.writeReply(test, "ping", null)).content()).isEqualTo("ping");
    }

    @ParameterizedTest
    @EnumSource(SoapFault.Kind.class)
    void everyDeclaredFaultIsRecognisedByItsElement(SoapFault.Kind kind) throws Exception {
        Transport transport = switch (kind) {
            case DESTINATION_CONNECTION, UNKNOWN_DESTINATION, HUB_CLIENT -> Transport.IZGW_HUB;
            default -> Transport.CDC_2011;
        };
        SoapFault sent = new SoapFault(kind, true, "it failed", "because");
        SoapReply reply = SoapCodec.readReply(RegistrySoapCodec.writeFault(transport, sent, "PA", "https://pa.example/iis"));

        assertThat(reply.isFault()).isTrue();
        assertThat(reply.fault().kind()).isEqualTo(kind);
        assertThat(reply.fault().receiverFault()).isTrue();
        assertThat(reply.fault().reason()).isEqualTo("it failed");
        assertThat(reply.fault().describe()).startsWith(kind.wsdlName() + ": it failed");
    }

    @Test
    void the2014FaultsCarryTheirOwnDetail() throws Exception {
        SoapReply reply = SoapCodec.readReply(RegistrySoapCodec.writeFault(Transport.CDC_2014,
                new SoapFault(SoapFault.Kind.SECURITY, false, "bad password", ""), null, null));
        assertThat(reply.fault().kind()).isEqualTo(SoapFault.Kind.SECURITY);
        assertThat(reply.fault().receiverFault()).isFalse();

        String hub = new String(RegistrySoapCodec.writeFault(Transport.IZGW_HUB,
                new SoapFault(SoapFault.Kind.UNKNOWN_DESTINATION, false, "no such destination", ""), "XX", null),
                StandardCharsets.UTF_8);
        assertThat(hub).contains("UnknownDestinationFault xmlns=\"urn:cdc:iisb:hub:2014\"").contains("<DestinationId>XX</DestinationId>");
        assertThat(SoapCodec.readReply(hub.getBytes(StandardCharsets.UTF_8)).fault().detail()).isEqualTo("destination XX");
    }

    @Test
    void readsTheSandboxAnswerInCdata() throws Exception {
        SoapReply reply = SoapCodec.readReply(bytes("/hl7/sandbox/qbp_z34_match.hl7.resp.xml"));
        assertThat(reply.isFault()).isFalse();
        assertThat(reply.content()).startsWith("MSH|^~\\&|IIS Sandbox|").contains("QAK|Q-0001|OK|");
    }

    @Test
    void readsTheSandboxSecurityFault() throws Exception {
        SoapReply reply = SoapCodec.readReply(bytes("/hl7/sandbox/badpw.resp.xml"));
        assertThat(reply.fault().kind()).isEqualTo(SoapFault.Kind.SECURITY);
        assertThat(reply.fault().receiverFault()).isFalse();
        assertThat(reply.fault().describe())
                .isEqualTo("SecurityFault: Username/password combination is unrecognized (code 10, Security, Invalid Username or Password)");
    }

    @Test
    void readsTheRequestTheSandboxReceived() throws Exception {
        SoapRequest request = RegistrySoapCodec.readRequest(bytes("/hl7/sandbox/qbp_z34_match.hl7.soap.xml"));
        assertThat(request.transport()).isEqualTo(Transport.CDC_2011);
        assertThat(request.username()).isEqualTo("fhirtest");
        assertThat(request.facilityId()).isEqualTo("FHIRPROXYTEST");
        assertThat(request.content()).startsWith("MSH|").contains("\rQPD|Z34");
    }

    @Test
    void readsSoap11FaultsToo() throws Exception {
        String soap11 = "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body><e:Fault>"
                + "<faultcode>e:Server</faultcode><faultstring>down for maintenance</faultstring></e:Fault></e:Body></e:Envelope>";
        SoapFault fault = SoapCodec.readReply(soap11.getBytes(StandardCharsets.UTF_8)).fault();
        assertThat(fault.kind()).isEqualTo(SoapFault.Kind.UNKNOWN);
        assertThat(fault.receiverFault()).isTrue();
        assertThat(fault.reason()).isEqualTo("down for maintenance");
    }

    @Test
    void refusesWhatIsNotSoap() {
        assertThatThrownBy(() -> SoapCodec.readReply("<html><body>Login</body></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SoapFormatException.class).hasMessageContaining("not a SOAP envelope");
        assertThatThrownBy(() -> SoapCodec.readReply("MSH|^~\\&|".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SoapFormatException.class).hasMessageContaining("not well-formed XML");
        assertThatThrownBy(() -> SoapCodec.readReply(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> SoapCodec.readReply(("<soap:Envelope xmlns:soap='" + SoapEnvelopes.SOAP_12
                + "'><soap:Body><x:other xmlns:x='urn:x'/></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("{urn:x}other");
    }

    @Test
    void refusesDocumentTypeDeclarations() {
        String entityBomb = "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<soap:Envelope xmlns:soap='" + SoapEnvelopes.SOAP_12 + "'><soap:Body>&x;</soap:Body></soap:Envelope>";
        assertThatThrownBy(() -> SoapCodec.readReply(entityBomb.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SoapFormatException.class);
    }

    private static String xml(SoapRequest request) {
        return new String(SoapCodec.writeRequest(request), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String path) {
        return Hl7TestMessages.resource(path).getBytes(StandardCharsets.UTF_8);
    }
}
