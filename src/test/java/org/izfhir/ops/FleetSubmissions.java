package org.izfhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.query.QueryBuilder;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;

/**
 * Dose submissions seen from outside the instances: a transaction sent over HTTP, the outbox read
 * in the shared database, and the doses a demo registry holds asked of it over SOAP, as any
 * registry client would.
 */
final class FleetSubmissions {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One delivery as the outbox holds it. */
    record Row(String id, String state, int attempts) {
    }

    private FleetSubmissions() {
    }

    /** A transaction for a person living in NJ, born 2024-01-15, with one dose given in NJ; sent without waiting. */
    static CompletableFuture<HttpResponse<String>> submit(int port, String token, String family) {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:5d1d5d4e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient",
                  "name":[{"family":"%s","given":["Wren"]}],"birthDate":"2024-01-15","gender":"female",
                  "address":[{"use":"home","state":"NJ","postalCode":"07001"}]},"request":{"method":"POST","url":"Patient"}},
                 {"fullUrl":"urn:uuid:5d1d5d4e-0000-4000-8000-000000000002","resource":{"resourceType":"Location",
                  "name":"Clinic","address":{"state":"NJ"}},"request":{"method":"POST","url":"Location"}},
                 {"resource":{"resourceType":"Immunization","status":"completed","primarySource":true,
                  "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"08"}]},
                  "patient":{"reference":"urn:uuid:5d1d5d4e-0000-4000-8000-000000000001"},
                  "location":{"reference":"urn:uuid:5d1d5d4e-0000-4000-8000-000000000002"},
                  "occurrenceDateTime":"2025-09-09","lotNumber":"K9","expirationDate":"2027-01-01",
                  "manufacturer":{"identifier":{"system":"http://hl7.org/fhir/sid/mvx","value":"MSD"}}},
                  "request":{"method":"POST","url":"Immunization"}}]}
                """.formatted(family);
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundle)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The delivery of the only dose submitted for this family name, once the outbox holds it. */
    static Optional<Row> delivery(DataSource database, String family) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT d.id, d.state, d.attempts FROM izfhir_delivery d"
                     + " JOIN izfhir_dose s ON s.id = d.dose_id AND s.version = d.dose_version WHERE s.patient LIKE ?")) {
            select.setString(1, "%\"family\":\"" + family + "\"%");
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Row(rows.getString(1), rows.getString(2), rows.getInt(3))) : Optional.empty();
            }
        }
    }

    /** Waits until the outbox's row for this family name satisfies a condition. */
    static Row await(DataSource database, String family, Duration limit, java.util.function.Predicate<Row> condition)
            throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        Optional<Row> row = Optional.empty();
        while (System.nanoTime() < end) {
            row = delivery(database, family);
            if (row.isPresent() && condition.test(row.get())) {
                return row.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the delivery for " + family + " is " + row + " after " + limit);
    }

    /** How many doses the demo registry NJ holds for this person: a Z34 query over SOAP, its answer's RXAs. */
    static int dosesAtNj(int demoPort, String password, String family) throws Exception {
        String qbp = new QueryBuilder().build(QueryProfile.Z34, PersonQuery.of(family, "Wren", LocalDate.of(2024, 1, 15)),
                new MessageHeader("IZFHIR", "IZFHIR-TEST", "NJIIS", "NJ", "T"), "Q" + System.nanoTime(), "T1",
                ZonedDateTime.now(), 5);
        SoapRequest request = new SoapRequest(Transport.CDC_2011, Transport.Operation.SUBMIT_SINGLE_MESSAGE, "izfhir-demo",
                password, "IZFHIR-TEST", null, qbp);
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + demoPort
                        + "/demo-registries/NJ/soap")).header("Content-Type",
                        SoapCodec.contentType(Transport.CDC_2011, Transport.Operation.SUBMIT_SINGLE_MESSAGE))
                .POST(HttpRequest.BodyPublishers.ofByteArray(SoapCodec.writeRequest(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new ResponseReader().read(SoapCodec.readReply(answer.body()).content(), "NJ").immunizations().size();
    }
}
