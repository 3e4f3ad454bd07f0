package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.izfhir.demo.RegistrySoapCodec;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.registry.RegistryClient.Purpose;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against answers shaped exactly like the captured traffic of an open-source IIS
 * (CDATA, LF segment separators, a SOAP fault with HTTP 200), served over real HTTP.
 */
class PeerCaptureTest {

    private static HttpServer server;
    private static RegistryClientFactory factory;
    private static final Map<String, byte[]> received = new ConcurrentHashMap<>();
    private static final Map<String, String> contentTypes = new ConcurrentHashMap<>();

    @BeforeAll
    static void peer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/match", Hl7TestMessages.resource("/hl7/sandbox/qbp_z34_match.hl7.resp.xml"));
        answer("/match-lf", Hl7TestMessages.resource("/hl7/sandbox/qbp_z34_match.hl7.resp.xml").replace("\r", "\n"));
        answer("/badpw", Hl7TestMessages.resource("/hl7/sandbox/badpw.resp.xml"));
        server.start();
        factory = new RegistryClientFactory(RegistryProperties.defaults(), new SimpleMeterRegistry(), EndpointResolver.AS_CONFIGURED);
    }

    private static void answer(String path, String body) {
        server.createContext(path, exchange -> {
            received.put(path, exchange.getRequestBody().readAllBytes());
            contentTypes.put(path, exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(200, bytes.length); // faults too: this peer sends them with 200
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        factory.close();
    }

    private static RegistryClient client(String path) {
        return factory.create(new RegistryConfig("SANDBOX" + path.replace('/', '-'), "IIS Sandbox",
                "http://127.0.0.1:" + server.getAddress().getPort() + path, Transport.CDC_2011, null, "FHIRPROXYTEST",
                "fhirtest", "fhirtestpw", QueryProfile.Z34,
                new MessageHeader("FHIRPROXY", "FHIRPROXYTEST", "IIS Sandbox", "IIS", "P"), java.util.Set.of(), true,
                Duration.ofSeconds(2), Duration.ofSeconds(5), null));
    }

    private static String capturedQuery() {
        return Hl7TestMessages.resource("/hl7/sandbox/qbp_z34_match.hl7").strip().replace("\r\n", "\r").replace('\n', '\r') + "\r";
    }

    @Test
    void sendsWhatThePeerReceivedAndReadsItsCdataAnswer() throws Exception {
        RegistryResult result = client("/match").send(capturedQuery(), Purpose.QUERY, Instant.now().plusSeconds(5)).join();

        assertThat(result).isInstanceOf(RegistryResult.Answered.class);
        RegistryResponse response = new ResponseReader().read(((RegistryResult.Answered) result).message(), "SANDBOX");
        assertThat(response.kind()).isEqualTo(Kind.HISTORY);
        assertThat(response.patient().getNameFirstRep().getFamily()).isEqualTo("Snow");

        SoapRequest sent = RegistrySoapCodec.readRequest(received.get("/match"));
        SoapRequest captured = RegistrySoapCodec.readRequest(Hl7TestMessages.resource("/hl7/sandbox/qbp_z34_match.hl7.soap.xml")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(sent).isEqualTo(captured);
        assertThat(new String(received.get("/match"), StandardCharsets.UTF_8)).doesNotContain("\r");
        assertThat(contentTypes.get("/match")).contains("application/soap+xml")
                .contains("action=\"urn:cdc:iisb:2011:submitSingleMessage\"");
    }

    @Test
    void readsAnAnswerWhoseSegmentsAreSeparatedByLineFeeds() {
        RegistryResult result = client("/match-lf").send(capturedQuery(), Purpose.QUERY, Instant.now().plusSeconds(5)).join();
        String answer = ((RegistryResult.Answered) result).message();
        assertThat(answer).doesNotContain("\r");
        RegistryResponse response = new ResponseReader().read(answer, "SANDBOX");
        assertThat(response.kind()).isEqualTo(Kind.HISTORY);
        assertThat(response.immunizations()).hasSize(2);
    }

    @Test
    void aFaultWithHttp200IsAFaultNotAnAnswer() {
        RegistryResult result = client("/badpw").send(capturedQuery(), Purpose.QUERY, Instant.now().plusSeconds(5)).join();

        RegistryFailure failure = ((RegistryResult.Failed) result).failure();
        assertThat(failure.kind()).isEqualTo(RegistryFailure.Kind.SECURITY_FAULT);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).isEqualTo("SANDBOX-badpw: the registry refused our credentials (SecurityFault): "
                + "Username/password combination is unrecognized (code 10, Security, Invalid Username or Password)");
        assertThat(result.attempts()).isEqualTo(1);
    }
}
