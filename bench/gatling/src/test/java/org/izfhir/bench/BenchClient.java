package org.izfhir.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the simulations share: the server, the demo backend service's token, the demo people. */
final class BenchClient {

    static final String BASE = System.getProperty("baseUrl", "http://localhost:8099/fhir");

    /** The demo people (fhir-config/demo), each found by one registry or several. */
    private static final List<String> PEOPLE = List.of(
            "Rivera|Sophia|2021-03-14|", "Smith|Noah|2024-01-20|", "Johnson|Marcus|1980-07-02|",
            "Chen|Ava|2023-05-10|", "Chen|Mia|2023-05-10|", "Martinez|Olivia|2015-08-30|",
            "Davis|Emma|2019-09-09|Brown", "Davis|Emma|2019-09-09|Miller", "Kim|Daniel|2012-06-18|Park",
            "Kim|Daniel|2012-06-18|Lee", "Brooks|Ethan|2016-02-11|Hayes", "Brooks|Ethan|2016-02-11|Ward",
            "Walsh|Grace|2005-12-01|", "Adams|Henry|1999-03-03|", "Smith|Noah|2024-01-20|Clark",
            "Rivera|Sophia|2021-03-14|Lopez");

    private BenchClient() {
    }

    /** A token of the demo client {@code demo-ehr}, fetched once: it lives 5 minutes, longer than a simulation. */
    static String token(String scope) {
        try {
            String basic = Base64.getEncoder().encodeToString("demo-ehr:demo-ehr-secret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(BASE.replaceFirst("/fhir$", "") + "/oauth2/token"))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                            + URLEncoder.encode(scope, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            if (response.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("no token: " + response.statusCode() + " " + response.body());
            }
            return token.group(1);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("no token", e);
        }
    }

    /** Each client takes the next demo person and keeps them. */
    static Iterator<Map<String, Object>> people() {
        AtomicInteger next = new AtomicInteger();
        return Stream.generate(() -> {
            String[] p = PEOPLE.get(next.getAndIncrement() % PEOPLE.size()).split("\\|", -1);
            String mother = p[3].isEmpty() ? "" : "&mothers-maiden-name=" + p[3];
            String query = "patient.family=" + p[0] + "&patient.given=" + p[1] + "&patient.birthdate=" + p[2]
                    + mother.replace("&", "&patient.");
            return Map.<String, Object>of("query", query, "person", "family=" + p[0] + "&given=" + p[1] + "&birthdate="
                    + p[2] + mother);
        }).iterator();
    }
}
