package org.izfhir.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import java.time.Clock;
import javax.sql.DataSource;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.izfhir.IzFhirServerTest;
import org.izfhir.NodeProjects;
import org.izfhir.fhir.FhirTestClient;
import org.izfhir.record.Consolidator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What was issued, decoded independently of how it was signed: the QR code read back with a QR
 * reader, the numeric encoding undone, the JWS verified against the published keys by another
 * implementation (npm {@code jose}, under Node), the payload inflated and its Bundle checked field
 * by field against the consolidated record of a child with doses in two states. The official
 * record read back as text, and its QR code decoded to the same card.
 */
@IzFhirServerTest
class HealthCardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETERS = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"credentialType\","
            + "\"valueUri\":\"%s\"}]}";
    private static Path verifier;

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    CardProperties properties;

    private FhirTestClient fhir;
    private String sophia;

    /** The independent verifier: jose from npm, installed once into target/. */
    @BeforeAll
    static void installVerifier() throws Exception {
        verifier = NodeProjects.install("shc-verify");
        Assumptions.assumeTrue(verifier != null, "Node and npm are needed to verify cards independently (npm install jose)");
    }

    @BeforeEach
    void findSophia() {
        fhir = new FhirTestClient(port);
        Bundle found = fhir.parse(fhir.get("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14"), Bundle.class);
        sophia = found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    private HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhir.fhirBase() + "/" + path))
                .header("Authorization", "Bearer " + fhir.adminToken());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Verified by jose against the server's published JWKS: the header, the key's thumbprint and the payload. */
    private JsonNode verified(String jws) throws Exception {
        Process node = new ProcessBuilder("node", "verify.mjs", jws, "http://localhost:" + port
                + CardConfiguration.JWKS_PATH).directory(verifier.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("jose's verification: " + out).isZero();
        return JSON.readTree(out);
    }

    /**
     * The text of a QR code image the server made: read as a pure barcode, module by module from
     * the image's own grid. ZXing's finder-pattern search, made for photographs, now and then
     * missed the finder patterns of a perfect image (the card's content, and so its pattern,
     * differs at every issue).
     */
    private static String readQr(BufferedImage image) throws Exception {
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    /** {@code shc:/} numeric text back to the JWS, as the spec describes it (pairs of digits, plus 45). */
    private static String undoNumeric(String text) {
        assertThat(text).startsWith("shc:/").doesNotContain("shc:/1/");
        StringBuilder jws = new StringBuilder();
        String digits = text.substring("shc:/".length());
        for (int i = 0; i < digits.length(); i += 2) {
            jws.append((char) (Integer.parseInt(digits.substring(i, i + 2)) + 45));
        }
        return jws.toString();
    }

    /** The payload of a JWS, inflated, without verifying it (to compare two issued cards). */
    private static JsonNode payload(String jws) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
        byte[] out = new byte[65536];
        int n = inflater.inflate(out);
        return JSON.readTree(new String(out, 0, n, StandardCharsets.UTF_8));
    }

    @Test
    void whenACardIsIssuedThenAnIndependentVerifierAcceptsItAndItHoldsEveryCompletedDoseOnce() throws Exception {
        HttpResponse<String> issued = fhir.post("Patient/" + sophia + "/$health-cards-issue", "application/fhir+json",
                PARAMETERS.formatted(HealthCards.HEALTH_CARD));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        Parameters out = fhir.parse(issued, Parameters.class);
        String jws = out.getParameter("verifiableCredential").getValue().primitiveValue();
        assertThat(out.getParameter().stream().filter(p -> p.getName().equals("resourceLink"))).isNotEmpty();

        HttpResponse<byte[]> png = getBytes("Patient/" + sophia + "/$health-card-qr");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
        String fromQr = undoNumeric(readQr(ImageIO.read(new ByteArrayInputStream(png.body()))));

        for (String card : List.of(jws, fromQr)) {
            JsonNode verified = verified(card);
            JsonNode header = verified.path("header");
            assertThat(header.path("alg").asText()).isEqualTo("ES256");
            assertThat(header.path("zip").asText()).isEqualTo("DEF");
            assertThat(header.path("kid").asText()).isEqualTo(verified.path("thumbprint").asText());
            assertCardOfSophia(verified.path("payload"));
        }
    }

    private void assertCardOfSophia(JsonNode payload) {
        assertThat(payload.path("iss").asText()).isEqualTo("http://localhost:" + port);
        assertThat(payload.path("nbf").asLong()).isPositive();
        assertThat(payload.path("vc").path("type").toString()).isEqualTo("[\"" + HealthCards.HEALTH_CARD + "\"]");
        JsonNode subject = payload.path("vc").path("credentialSubject");
        assertThat(subject.path("fhirVersion").asText()).isEqualTo("4.0.1");
        JsonNode bundle = subject.path("fhirBundle");
        assertThat(bundle.path("type").asText()).isEqualTo("collection");
        String text = bundle.toString();
        assertThat(text).doesNotContain("\"id\":", "\"meta\":", "\"text\":").doesNotContainPattern("\"coding\":\\[\\{[^]]*display");
        JsonNode patient = bundle.path("entry").get(0);
        assertThat(patient.path("fullUrl").asText()).isEqualTo("resource:0");
        List<String> patientFields = new ArrayList<>();
        patient.path("resource").fieldNames().forEachRemaining(patientFields::add);
        assertThat(patientFields).containsExactlyInAnyOrder("resourceType", "name", "birthDate");
        assertThat(patient.path("resource").path("birthDate").asText()).isEqualTo("2021-03-14");

        Bundle record = fhir.parse(fhir.get("Immunization?patient=" + sophia + "&status=completed&_count=100"), Bundle.class);
        List<Immunization> doses = record.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Immunization.class::isInstance).map(Immunization.class::cast).toList();
        Set<String> states = new HashSet<>();
        doses.forEach(d -> d.getMeta().getTag().stream().filter(t -> Consolidator.REGISTRY_TAG.equals(t.getSystem()))
                .forEach(t -> states.add(t.getCode())));
        assertThat(states).as("a child with doses in two states").contains("NJ", "NY");
        List<String> expected = doses.stream().map(d -> d.getVaccineCode().getCoding().stream()
                .filter(c -> "http://hl7.org/fhir/sid/cvx".equals(c.getSystem())).map(Coding::getCode).findFirst().orElseThrow()
                + " " + d.getOccurrenceDateTimeType().getValueAsString().substring(0, 10)).sorted().toList();
        List<String> carded = new ArrayList<>();
        for (int i = 1; i < bundle.path("entry").size(); i++) {
            JsonNode entry = bundle.path("entry").get(i);
            assertThat(entry.path("fullUrl").asText()).isEqualTo("resource:" + i);
            JsonNode dose = entry.path("resource");
            assertThat(dose.path("status").asText()).isEqualTo("completed");
            assertThat(dose.path("patient").path("reference").asText()).isEqualTo("resource:0");
            carded.add(dose.path("vaccineCode").path("coding").get(0).path("code").asText() + " "
                    + dose.path("occurrenceDateTime").asText());
        }
        assertThat(carded.stream().sorted().toList()).as("every completed dose, each once").isEqualTo(expected);
    }

    @Test
    void whenTheFileIsAskedForThenItIsASmartHealthCardFile() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhir.fhirBase() + "/Patient/" + sophia + "/$health-cards-issue"))
                .header("Authorization", "Bearer " + fhir.adminToken()).header("Accept", "application/smart-health-card")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(PARAMETERS.formatted(HealthCards.IMMUNIZATION))).build();

        HttpResponse<String> file = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("application/smart-health-card");
        JsonNode credential = JSON.readTree(file.body()).path("verifiableCredential");
        assertThat(credential.size()).isEqualTo(1);
        assertCardOfSophia(verified(credential.get(0).asText()).path("payload"));
    }

    @Test
    void whenTheOfficialRecordIsPrintedThenItHoldsTheDosesForecastRegistriesAndTheSameCard() throws Exception {
        HttpResponse<byte[]> pdf = getBytes("Patient/" + sophia + "/$official-record");

        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        Files.write(Path.of("target", "official-record-sophia.pdf"), pdf.body());
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertThat(document.getNumberOfPages()).as("a usual record fits one page").isEqualTo(1);
            assertThat(document.getDocumentCatalog().getMarkInfo().isMarked()).as("tagged").isTrue();
            assertThat(document.getDocumentCatalog().getLanguage()).isEqualTo("en-US");
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Official immunization record", "Sophia Grace Rivera", "Date of birth: 2021-03-14",
                    "DTaP", "Due and overdue", "Registries consulted", "New Jersey", "New York");
            List<BufferedImage> images = new ArrayList<>(); // the QR's own pixels, as the page carries them:
            PDResources resources = document.getPage(0).getResources(); // decoding a rendering would test the renderer
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof PDImageXObject image) {
                    images.add(image.getImage());
                }
            }
            assertThat(images).as("the page's one image is the QR code").hasSize(1);
            String jws = undoNumeric(readQr(images.get(0)));
            HttpResponse<String> issued = fhir.post("Patient/" + sophia + "/$health-cards-issue", "application/fhir+json",
                    PARAMETERS.formatted(HealthCards.HEALTH_CARD));
            String card = fhir.parse(issued, Parameters.class).getParameter("verifiableCredential").getValue().primitiveValue();
            assertThat(payload(jws).path("vc")).as("the printed QR is the same card").isEqualTo(payload(card).path("vc"));
            verified(jws);
        }
    }

    @Test
    void whenTheCredentialTypeIsUnknownThenAnOutcomeSaysWhichAreIssued() {
        HttpResponse<String> answer = fhir.post("Patient/" + sophia + "/$health-cards-issue", "application/fhir+json",
                PARAMETERS.formatted("https://smarthealth.cards#laboratory"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(fhir.parse(answer, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
                .contains(HealthCards.HEALTH_CARD);
    }

    @Test
    void whenTheKeyIsDueForRotationThenANewOneSignsAndCardsOfTheOldStillVerify() throws Exception {
        HttpResponse<String> before = fhir.post("Patient/" + sophia + "/$health-cards-issue", "application/fhir+json",
                PARAMETERS.formatted(HealthCards.HEALTH_CARD));
        String oldCard = fhir.parse(before, Parameters.class).getParameter("verifiableCredential").getValue().primitiveValue();
        String oldKid = verified(oldCard).path("header").path("kid").asText();

        CardKeys aYearLater = new CardKeys(new JdbcTemplate(dataSource), properties,
                Clock.offset(Clock.systemUTC(), properties.keyRotation().plusDays(1)));
        String newKid = aYearLater.signing().getKeyID();

        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(aYearLater.published().getKeys()).extracting(com.nimbusds.jose.jwk.JWK::getKeyID)
                .contains(oldKid, newKid);
        assertThat(verified(oldCard).path("payload").path("iss").asText()).as("a card of the old key still verifies")
                .isEqualTo("http://localhost:" + port);
        HttpResponse<String> after = fhir.post("Patient/" + sophia + "/$health-cards-issue", "application/fhir+json",
                PARAMETERS.formatted(HealthCards.HEALTH_CARD));
        String newCard = fhir.parse(after, Parameters.class).getParameter("verifiableCredential").getValue().primitiveValue();
        assertThat(verified(newCard).path("header").path("kid").asText()).as("the newest key signs").isEqualTo(newKid);
    }

    @Test
    void whenTheKeysArePublishedThenTheyAreOpenToAnyOriginAndListedInDiscovery() throws Exception {
        HttpResponse<String> jwks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + port + CardConfiguration.JWKS_PATH)).header("Origin", "https://verifier.example").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode key = JSON.readTree(jwks.body()).path("keys").get(0);
        assertThat(key.path("kty").asText()).isEqualTo("EC");
        assertThat(key.path("crv").asText()).isEqualTo("P-256");
        assertThat(key.has("d")).as("no private part").isFalse();
        assertThat(fhir.anonymous().get(".well-known/smart-configuration").body()).contains("\"health-cards\"");
    }
}
