package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.record.PatientAccess;
import org.izfhir.record.RecordService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The patient boundary, tried as an attacker would: a parent's app holds a token for Ava (A) and
 * tries every request form to reach her twin Mia (B), whose record is stored too. Whatever it
 * sends, no body holds anything of B, no registry is asked about B, and no audit event names B
 * but for a refused request. Thousands of generated variants run here; {@code -Dizfhir.boundary.full=true}
 * runs the whole cross product.
 */
@IzFhirServerTest
class PatientBoundaryIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Pattern B_NAME = Pattern.compile("\\bMia\\b");

    @LocalServerPort
    int port;

    @Autowired
    DemoRegistries demo;

    @Autowired
    AuditTrail audit;

    @Autowired
    RecordService records;

    private static Fixture fixture;
    private final HttpClient http = HttpClient.newHttpClient();
    private FhirTestClient admin;

    /** A's tokens, B's ids, and pages of searches of B made by a backend service. */
    private record Fixture(String a, String b, String tokenA, String immunizationsOnlyTokenA, List<String> bResourceIds,
                           List<String> bPageIds) {
    }

    @BeforeEach
    void launch() {
        admin = new FhirTestClient(port);
        if (fixture != null) {
            return;
        }
        LaunchBrowser browser = new LaunchBrowser(port);
        Map<String, String> people = new java.util.LinkedHashMap<>();
        String tokenA = launchForAva(browser, "launch/patient patient/*.rs", people);
        String a = people.entrySet().stream().filter(e -> e.getValue().startsWith("Ava")).findFirst().orElseThrow().getKey();
        String b = people.entrySet().stream().filter(e -> e.getValue().startsWith("Mia")).findFirst().orElseThrow().getKey();
        String narrow = launchForAva(new LaunchBrowser(port), "launch/patient patient/Immunization.rs", new java.util.HashMap<>());
        Bundle everything = admin.parse(admin.get("Patient/" + b + "/$everything"), Bundle.class);
        List<String> ids = everything.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r.hasIdElement() && r.getIdElement().hasIdPart())
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
        assertThat(ids).as("B's stored record").hasSizeGreaterThan(5);
        List<String> pages = new ArrayList<>();
        for (String search : List.of("Immunization?patient=" + b + "&_count=2",
                "ImmunizationRecommendation?patient=" + b + "&_count=1&_include=ImmunizationRecommendation:patient",
                "ImmunizationEvaluation?patient=" + b + "&_count=1&_revinclude=Provenance:target")) {
            Bundle first = admin.parse(admin.get(search), Bundle.class);
            assertThat(first.getLink("next")).as(search).isNotNull();
            pages.add(PageBinding.pageId(first.getLink("next").getUrl()));
        }
        fixture = new Fixture(a, b, tokenA, narrow, ids, pages);
    }

    /** Ava's token from a launch as her mother; the picker's choices go into {@code people}. */
    private String launchForAva(LaunchBrowser browser, String scopes, Map<String, String> people) {
        HttpResponse<String> login = browser.follow(browser.get(browser.authorizeUrl(scopes)));
        HttpResponse<String> picker = browser.signIn(login, "demo-parent", "demo");
        people.putAll(LaunchBrowser.choices(picker.body()));
        String ava = people.entrySet().stream().filter(e -> e.getValue().startsWith("Ava")).findFirst().orElseThrow().getKey();
        HttpResponse<String> next = browser.pick(picker, ava);
        HttpResponse<String> redirect = next.statusCode() == 302 ? next
                : browser.consent(next, LaunchBrowser.offeredScopes(next.body()).stream().filter(java.util.Objects::nonNull).toList());
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        assertThat(LaunchBrowser.redirectParameter(redirect, "code")).as(redirect.headers().firstValue("Location").orElse(""))
                .isNotNull();
        JsonNode tokens = LaunchBrowser.json(browser.exchange(LaunchBrowser.redirectParameter(redirect, "code")));
        assertThat(tokens.path("patient").asText()).isEqualTo(ava);
        return tokens.path("access_token").asText();
    }

    private long registryQueriesAboutB() {
        return demo.queriesAbout("Chen", "Mia");
    }

    private HttpResponse<String> send(BoundaryVariants.Variant variant, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + variant.path()))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Cache-Control", "no-cache");
        if (variant.accept() != null) {
            request.header("Accept", variant.accept());
        }
        if (variant.form() == null) {
            request.method(variant.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(variant.method(), HttpRequest.BodyPublishers.ofString(variant.form())).header("Content-Type",
                    variant.form().startsWith("{") ? "application/fhir+json" : "application/x-www-form-urlencoded");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nothing of B in an answer: a refusal is an OperationOutcome; an answer holds no resource of B. */
    private void assertNothingOfB(HttpResponse<String> response, Object what) {
        // 405: HAPI's answer to GET on an operation that changes state; nothing is read
        assertThat(response.statusCode()).as("status of %s: %s", what, response.body()).isIn(200, 400, 403, 404, 405);
        String body = response.body();
        assertThat(B_NAME.matcher(body).find()).as("B's name in the answer to %s", what).isFalse();
        IBaseResource resource = (body.startsWith("<") ? FHIR.newXmlParser() : FHIR.newJsonParser()).parseResource(body);
        if (response.statusCode() != 200) {
            assertThat(resource).as("a refusal of %s", what).isInstanceOf(OperationOutcome.class);
            return;
        }
        assertThat(body).as("B's id in the answer to %s", what).doesNotContain(fixture.b());
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() != null && !(entry.getResource() instanceof OperationOutcome)) {
                    assertThat(entry.getResource().getIdElement().getIdPart()).as("a resource in %s", what)
                            .startsWith(fixture.a());
                }
            }
        }
    }

    /** Audit events since {@code start} that name B: only refusals (outcome 4, or 8 for a withheld answer) may. */
    private void assertAuditNamesBOnlyInRefusals(Instant start) {
        List<AuditEvent> naming = audit.since(start).stream().filter(event -> event.getEntity().stream()
                .anyMatch(e -> ("Patient/" + fixture.b()).equals(e.getWhat().getReference()))).toList();
        assertThat(naming).allSatisfy(event -> assertThat(event.getOutcome()).isIn(AuditEvent.AuditEventOutcome._4,
                AuditEvent.AuditEventOutcome._8));
    }

    @Test
    void whenThousandsOfRequestFormsReachForAnotherPersonThenNothingOfThemIsAnsweredAskedOrAudited() {
        boolean full = Boolean.getBoolean("izfhir.boundary.full");
        List<BoundaryVariants.Variant> variants = new BoundaryVariants(fixture.a(), fixture.b(), admin.fhirBase(),
                fixture.bResourceIds(), fixture.bPageIds()).all(full);
        long queriesBefore = registryQueriesAboutB();
        long callsBefore = demo.ids().stream().mapToLong(demo::calls).sum() - queriesBefore;
        Instant start = Instant.now().minusMillis(1);
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> answered = new ArrayList<>();
        int tried = 0;
        for (BoundaryVariants.Variant variant : variants) {
            for (String token : full ? List.of(fixture.tokenA(), fixture.immunizationsOnlyTokenA())
                    : List.of(tried % 5 == 4 ? fixture.immunizationsOnlyTokenA() : fixture.tokenA())) {
                HttpResponse<String> response = send(variant, token);
                assertNothingOfB(response, variant);
                assertThat(registryQueriesAboutB()).as("registries asked about B by %s", variant).isEqualTo(queriesBefore);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    answered.add(variant.toString());
                }
                tried++;
            }
        }
        assertAuditNamesBOnlyInRefusals(start);
        assertThat(demo.ids().stream().mapToLong(demo::calls).sum() - registryQueriesAboutB())
                .as("registry calls other than queries about B (submissions)").isEqualTo(callsBefore);
        System.out.printf("patient boundary: %d request variants tried (%s), statuses %s; answered 200: %s%n", tried,
                full ? "full cross product" : "quick sample", statuses, answered);
        assertThat(tried).isGreaterThan(full ? 10_000 : 2_000);
    }

    @Test
    void whenTheTokensOwnPatientIsAskedForInEveryPlainFormThenTheRecordIsServed() {
        String a = fixture.a();
        for (String path : List.of("Patient/" + a, "Patient?_id=" + a, "Patient/" + a + "/$everything",
                "Immunization?patient=" + a, "Immunization?patient=Patient/" + a,
                "Immunization?patient=" + BoundaryVariants.encode(admin.fhirBase() + "/Patient/" + a),
                "Immunization?patient=" + a + "&_include=Immunization:patient&_revinclude=Provenance:target&_format=xml",
                "ImmunizationRecommendation?patient=" + a, "ImmunizationEvaluation?patient=" + a + "&_include=ImmunizationEvaluation:immunization-event",
                "Provenance?patient=" + a)) {
            HttpResponse<String> answer = send(new BoundaryVariants.Variant("GET", path, null, null), fixture.tokenA());
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
            assertNothingOfB(answer, path);
        }
        HttpResponse<String> posted = send(new BoundaryVariants.Variant("POST", "Immunization/_search",
                "patient=" + a + "&_count=2", null), fixture.tokenA());
        assertThat(posted.statusCode()).isEqualTo(200);
        String next = FHIR.newJsonParser().parseResource(Bundle.class, posted.body()).getLink("next").getUrl();
        HttpResponse<String> page = send(new BoundaryVariants.Variant("GET", "?_getpages="
                + PageBinding.pageId(next) + "&_getpagesoffset=2&_count=2", null, null), fixture.tokenA());
        assertThat(page.statusCode()).as("its own search's next page").isEqualTo(200);
        assertNothingOfB(page, "own page");
    }

    /** Proof of a record (a health card, its QR code, the official record) is its patient's only. */
    @Test
    void whenAPatientTokenAsksForProofOfARecordThenItGetsItsOwnAndNobodyElses() {
        long queriesBefore = registryQueriesAboutB();
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"credentialType\","
                + "\"valueUri\":\"https://smarthealth.cards#health-card\"}]}";
        String a = fixture.a();
        String b = fixture.b();

        HttpResponse<String> card = send(new BoundaryVariants.Variant("POST", "Patient/" + a + "/$health-cards-issue",
                parameters, null), fixture.tokenA());
        assertThat(card.statusCode()).as(card.body()).isEqualTo(200);
        assertThat(card.body()).contains("verifiableCredential");
        HttpResponse<String> qr = send(new BoundaryVariants.Variant("GET", "Patient/" + a + "/$health-card-qr", null, null),
                fixture.tokenA());
        assertThat(qr.statusCode()).isEqualTo(200);
        assertThat(qr.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
        for (String operation : List.of("$health-card-qr", "$official-record")) {
            assertThat(send(new BoundaryVariants.Variant("GET", "Patient/" + b + "/" + operation, null, null),
                    fixture.tokenA()).statusCode()).as(operation).isEqualTo(404);
        }
        assertThat(send(new BoundaryVariants.Variant("POST", "Patient/" + b + "/$health-cards-issue", parameters, null),
                fixture.tokenA()).statusCode()).isEqualTo(404);
        assertThat(send(new BoundaryVariants.Variant("GET", "Patient/" + a + "/$official-record", null, null),
                fixture.immunizationsOnlyTokenA()).statusCode()).as("proof of the whole record needs every record type")
                .isEqualTo(403);
        assertThat(registryQueriesAboutB()).isEqualTo(queriesBefore);
    }

    /** Finding 1: HAPI reads {@code Patient/B/_history/A} as id B, version A; a check of the text after the last slash read A. */
    @Test
    void whenAReferenceToAnotherCarriesTheTokensPatientAsVersionThenItIsRefusedAndNoRegistryAsked() {
        String a = fixture.a();
        String b = fixture.b();
        long queriesBefore = registryQueriesAboutB();
        long callsBefore = demo.ids().stream().mapToLong(demo::calls).sum() - queriesBefore;
        Instant start = Instant.now().minusMillis(1);
        String versioned = "Patient/" + b + "/_history/" + a;
        for (String type : List.of("Immunization", "ImmunizationRecommendation", "ImmunizationEvaluation", "Provenance")) {
            String include = type.equals("Provenance") ? "_count=5" : "_include=" + type + ":patient";
            for (String query : List.of("patient=" + versioned, "patient=" + versioned + "&" + include,
                    "patient=" + BoundaryVariants.encode(admin.fhirBase() + "/" + versioned), "patient=" + versioned + "&_format=xml")) {
                for (String token : List.of(fixture.tokenA(), fixture.immunizationsOnlyTokenA())) {
                    HttpResponse<String> get = send(new BoundaryVariants.Variant("GET", type + "?" + query, null, null), token);
                    HttpResponse<String> post = send(new BoundaryVariants.Variant("POST", type + "/_search", query, null), token);
                    assertThat(get.statusCode()).as(query).isEqualTo(403);
                    assertThat(post.statusCode()).as(query).isEqualTo(403);
                    assertNothingOfB(get, query);
                }
            }
        }
        // a backend service may not use the form either: the record layer reads only plain references
        assertThat(admin.get("Immunization?patient=" + versioned).statusCode()).isEqualTo(400);
        assertThat(registryQueriesAboutB()).isEqualTo(queriesBefore);
        assertAuditNamesBOnlyInRefusals(start);
    }

    /** Finding 2: the record layer picked the record by the id's prefix (B) and refreshed it before filtering. */
    @Test
    void whenAnIdOfAnotherRecordEndsWithTheTokensPatientThenNoRegistryIsAskedAboutAnyone() {
        long queriesBefore = registryQueriesAboutB();
        HttpResponse<String> answer = send(new BoundaryVariants.Variant("GET", "Patient?_id=" + fixture.b() + "-x/" + fixture.a(),
                null, null), fixture.tokenA());

        assertThat(answer.statusCode()).isEqualTo(403);
        HttpResponse<String> backend = admin.get("Patient?_id=" + fixture.b() + "-x", "Cache-Control", "no-cache");
        assertThat(backend.statusCode()).isEqualTo(200);
        assertThat(admin.parse(backend, Bundle.class).getEntry()).allSatisfy(e ->
                assertThat(e.getResource()).isInstanceOf(OperationOutcome.class));
        assertThat(registryQueriesAboutB()).as("an id that is not a Patient's asks no registry").isEqualTo(queriesBefore);
    }

    /** The second wall alone: the record service refuses another person's record before reading or asking. */
    @Test
    void whenTheRecordLayerIsAskedForAnotherRecordThanItsAccessAllowsThenItRefusesBeforeAsking() {
        long queriesBefore = registryQueriesAboutB();
        PatientAccess onlyA = PatientAccess.only(fixture.a());

        assertThatThrownBy(() -> records.get(fixture.b(), onlyA, true)).isInstanceOf(PatientAccess.NotPermittedException.class);
        PersonQuery mia = new PersonQuery(List.of(), "Chen", "Mia", null, null, null, null,
                java.time.LocalDate.of(2023, 5, 10), "F", null, null, null, null);
        assertThatThrownBy(() -> records.find(mia, onlyA, true)).isInstanceOf(PatientAccess.NotPermittedException.class);
        assertThat(records.get(fixture.a(), onlyA, false)).isPresent();
        assertThat(registryQueriesAboutB()).isEqualTo(queriesBefore);
    }

    /** Finding 3: operations passed as reads unless on a deny list; a read-only token merged two ConceptMaps. */
    @Test
    void whenAnyTokenAsksForTheStoresHousekeepingOperationsThenEachIsRefusedAndNothingChanges() {
        FhirTestClient readOnly = new FhirTestClient(port).anonymous();
        String readOnlyToken = FhirTestClient.accessToken(readOnly.token("demo-ehr", "demo-ehr-secret", "system/*.rs"));
        ConceptMap before = admin.fhir().read().resource(ConceptMap.class).withId("cvx-to-vaccine-group").execute();
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"source-resource\",\"valueReference\":"
                + "{\"reference\":\"ConceptMap/cvx-to-vaccine-group\"}},{\"name\":\"target-resource\",\"valueReference\":"
                + "{\"reference\":\"ConceptMap/cvx-to-vaccine-group\"}}]}";
        for (String operation : List.of("ConceptMap/$hapi.fhir.merge", "ConceptMap/$hapi.fhir.replace-references",
                "$hapi.fhir.replace-references", "ConceptMap/$hapi.fhir.undo-replace-references", "ConceptMap/$hapi.fhir.undo-merge",
                "$hapi.fhir.undo-merge", "$expunge", "ConceptMap/$expunge", "ConceptMap/cvx-to-vaccine-group/$meta-add",
                "$reindex", "$mark-all-resources-for-reindexing", "$perform-reindexing-pass", "$meta")) {
            for (String token : List.of(readOnlyToken, admin.adminToken())) {
                HttpResponse<String> answer = readOnly.post(operation, "application/fhir+json", body, "Authorization", "Bearer " + token);
                // 400 where HAPI does not mount the operation at that level; 403 wherever it does
                assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isIn(400, 403);
                if (answer.statusCode() == 403) {
                    assertThat(answer.body()).contains("does not offer the operation");
                }
            }
        }
        ConceptMap after = admin.fhir().read().resource(ConceptMap.class).withId("cvx-to-vaccine-group").execute();
        assertThat(after.getMeta().getVersionId()).isEqualTo(before.getMeta().getVersionId());
    }

    /** Finding 4: a backend service's search page was served to A's token, and to a token with no resource scope. */
    @Test
    void whenAnotherCallerFollowsASearchsPageLinkThenThePageIsNotFound() {
        String page = fixture.bPageIds().get(0);
        String path = "?_getpages=" + BoundaryVariants.encode(page) + "&_getpagesoffset=2&_count=2";
        String organizationsOnly = FhirTestClient.accessToken(admin.anonymous().token("test-organizations",
                "test-organizations-secret", "system/Organization.rs"));
        String otherBackend = FhirTestClient.accessToken(admin.anonymous().token("demo-ehr", "demo-ehr-secret", "system/*.rs"));

        for (String token : List.of(fixture.tokenA(), organizationsOnly, otherBackend)) {
            HttpResponse<String> answer = send(new BoundaryVariants.Variant("GET", path, null, null), token);
            assertThat(answer.statusCode()).isEqualTo(404);
            assertNothingOfB(answer, path);
        }
        assertThat(admin.get(path).statusCode()).as("the searcher's own page").isEqualTo(200);
    }
}
