package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.izfhir.demo.RegistrySoapCodec;
import org.izfhir.registry.RegistryClient.Purpose;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapFormatException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Mutual TLS as a registry demands it: certificates made with the JDK's keytool, a TLS server
 * that requires a client certificate, and clients configured through the registries file.
 */
class MutualTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path folder;
    private static HttpsServer server;
    private static RegistryClientFactory factory;
    private static StandardEnvironment environment;

    @BeforeAll
    static void registryRequiringClientCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=izfhir",
                "-validity", "2", "-keystore", "client.p12");
        keytool("-exportcert", "-alias", "server", "-keystore", "server.p12", "-file", "server.cer");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-file", "client.cer");
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", "server.cer", "-keystore", "client-trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.cer", "-keystore", "server-trust.p12");

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context("server.p12", "server-trust.p12")) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true); // HttpsParameters.setNeedClientAuth alone is not applied
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/soap", exchange -> {
            byte[] answer;
            try {
                answer = RegistrySoapCodec.writeReply(RegistrySoapCodec.readRequest(exchange.getRequestBody().readAllBytes()),
                        "MSH|^~\\&|IIS|IIS|||20260101||ACK^V04^ACK|1|P|2.5.1\rMSA|AA|1\r", null);
            } catch (SoapFormatException e) {
                answer = new byte[0];
            }
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("CERT_PASSWORD", PASSWORD)));
        factory = new RegistryClientFactory(RegistryProperties.defaults(), new SimpleMeterRegistry(), EndpointResolver.AS_CONFIGURED);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        factory.close();
    }

    @Test
    void aClientWithItsCertificateIsAnswered() throws Exception {
        RegistryResult result = client("TLSOK", """
                    tls:
                      key-store: client.p12
                      key-store-password: ${CERT_PASSWORD}
                      trust-store: client-trust.p12
                      trust-store-password: ${CERT_PASSWORD}
                """).send("MSH|^~\\&|A|B|||20260101||VXU^V04^VXU_V04|1|P|2.5.1\r", Purpose.SUBMISSION,
                Instant.now().plusSeconds(10)).join();

        assertThat(result).isInstanceOf(RegistryResult.Answered.class);
        assertThat(((RegistryResult.Answered) result).message()).contains("MSA|AA|1");
    }

    @Test
    void withoutItsCertificateTheHandshakeFails() throws Exception {
        RegistryResult result = client("TLSNOCERT", """
                    tls:
                      trust-store: client-trust.p12
                      trust-store-password: ${CERT_PASSWORD}
                """).send("MSH|^~\\&|A\r", Purpose.QUERY, Instant.now().plusSeconds(10)).join();

        RegistryFailure failure = ((RegistryResult.Failed) result).failure();
        assertThat(failure.kind()).isIn(RegistryFailure.Kind.TLS, RegistryFailure.Kind.NETWORK);
    }

    @Test
    void aRegistryWhoseCertificateIsNotTrustedIsRefused() throws Exception {
        RegistryResult result = client("TLSUNTRUSTED", "").send("MSH|^~\\&|A\r", Purpose.QUERY,
                Instant.now().plusSeconds(10)).join();

        RegistryFailure failure = ((RegistryResult.Failed) result).failure();
        assertThat(failure.kind()).isEqualTo(RegistryFailure.Kind.TLS);
        assertThat(failure.retryable()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
    }

    private static RegistryClient client(String id, String tls) throws Exception {
        Path file = folder.resolve(id + ".yaml");
        Files.writeString(file, """
                registries:
                  - id: %s
                    endpoint: https://localhost:%d/soap
                    transport: cdc-2011
                """.formatted(id, server.getAddress().getPort()) + tls);
        List<RegistryConfig> configs = RegistriesFile.load(file, environment);
        return factory.create(configs.get(0));
    }

    private static SSLContext context(String keyStore, String trustStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(folder.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + ": " + output);
        }
    }
}
