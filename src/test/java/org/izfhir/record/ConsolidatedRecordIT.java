package org.izfhir.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.IzFhirServerTest;
import org.izfhir.demo.DemoFault;
import org.izfhir.demo.DemoProperties.Knobs;
import org.izfhir.demo.DemoRegistries;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The consolidated record over real HTTP: FHIR searches answered by asking the demo registries
 * (NJ over CDC 2011, NY over CDC 2014, PA through the demo hub) with real SOAP and HL7, stored in
 * the embedded PostgreSQL.
 */
@IzFhirServerTest
class ConsolidatedRecordIT {

    private static final String SOPHIA = "patient.family=Rivera&patient.given=Sophia&patient.birthdate=2021-03-14";
    private static final String NO_CACHE = "no-cache";

    @LocalServerPort
    int port;

    @Autowired
    DemoRegistries demo;

    @Autowired
    RecordStore store;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    ca.uhn.fhir.context.FhirContext fhir;

    @Autowired
    Consolidator consolidator;

    private FhirTestClient client;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(port);
    }

    @AfterEach
    void resetRegistries() {
        demo.reset();
    }

    @Test
    void whenChildHasDosesInTwoStatesThenOneHistoryWithTheSharedDoseOnce() {
        Bundle bundle = search("Immunization?" + SOPHIA + "&_count=50", NO_CACHE);

        List<Immunization> doses = matches(bundle, Immunization.class);
        assertThat(doses).extracting(d -> d.getOccurrenceDateTimeType().getValueAsString() + " "
                + d.getVaccineCode().getCodingFirstRep().getCode() + " " + d.getStatus().toCode()).containsExactly(
                "2021-03-15 08 completed",
                "2021-05-17 110 completed", "2021-05-17 49 completed", "2021-05-17 133 completed",
                "2021-05-17 116 completed",
                "2021-07-19 110 completed", "2021-07-19 49 completed", "2021-07-19 133 completed",
                "2021-07-19 116 completed",
                "2021-09-20 110 completed", "2021-09-20 133 completed", "2021-09-20 116 completed",
                "2022-03-21 03 completed", "2022-03-21 21 completed", "2022-03-21 83 completed",
                "2022-03-21 133 completed", "2022-03-21 49 completed",
                "2022-10-03 88 not-done");
        Immunization shared = doses.get(9);
        assertThat(tags(shared)).containsExactly("NJ", "NY");
        assertThat(shared.getIdentifier()).extracting(i -> i.getValue()).contains("NJ5010", "NY5016");
        assertThat(shared.getLotNumber()).isEqualTo("PX8A1");
        assertThat(shared.getPrimarySource()).isTrue();
        assertThat(shared.getNote()).extracting(n -> n.getText())
                .containsExactly("NY reported this dose as CVX 107 (DTaP, unspecified formulation)");
        assertThat(doses.get(0).getMeta().getSource()).isEqualTo("http://izfhir.org/fhir/CodeSystem/registry/NJ");
        assertThat(issues(bundle)).containsExactly("NJ answered", "NY answered", "PA not-found");
    }

    @Test
    void whenNewbornPlaceholderAndNamedChildThenOnePersonWithEveryIdentifier() {
        Bundle bundle = search("Patient?family=Smith&given=Noah&birthdate=2024-01-20", NO_CACHE);

        Patient noah = matches(bundle, Patient.class).get(0);
        assertThat(matches(bundle, Patient.class)).hasSize(1);
        assertThat(noah.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Noah James");
        assertThat(noah.getName()).anySatisfy(name -> {
            assertThat(name.getGivenAsSingleString()).isEqualTo("Baby Boy");
            assertThat(name.getUse()).isEqualTo(HumanName.NameUse.TEMP);
        });
        assertThat(noah.getIdentifier()).extracting(i -> i.getValue()).contains("SB-88213", "BP-9120");
        Bundle doses = search("Immunization?patient=Patient/" + noah.getIdPart());
        assertThat(matches(doses, Immunization.class)).extracting(d -> d.getOccurrenceDateTimeType().getValueAsString())
                .first().isEqualTo("2024-01-20"); // the birth dose from NJ, under the placeholder name
        assertThat(matches(doses, Immunization.class)).hasSize(9);
    }

    @Test
    void whenTwinsThenTwoPeopleWithTheirOwnDoses() {
        Patient ava = matches(search("Patient?family=Chen&given=Ava&birthdate=2023-05-10", NO_CACHE), Patient.class).get(0);
        Patient mia = matches(search("Patient?family=Chen&given=Mia&birthdate=2023-05-10", NO_CACHE), Patient.class).get(0);

        assertThat(ava.getIdPart()).isNotEqualTo(mia.getIdPart());
        int avaDoses = matches(search("Immunization?patient=Patient/" + ava.getIdPart()), Immunization.class).size();
        int miaDoses = matches(search("Immunization?patient=Patient/" + mia.getIdPart()), Immunization.class).size();
        assertThat(avaDoses).isGreaterThan(miaDoses);
    }

    @Test
    void whenAdultInThreeStatesThenEveryRegistryContributesAndProvenanceSaysWhen() {
        Bundle bundle = search("Patient?family=Johnson&given=Marcus&birthdate=1980-07-02"
                + "&_revinclude=Provenance:target&_revinclude=Immunization:patient", NO_CACHE);

        List<org.hl7.fhir.r4.model.Provenance> provenances = matches(bundle, org.hl7.fhir.r4.model.Provenance.class);
        assertThat(provenances).hasSize(3).allSatisfy(p -> {
            assertThat(p.getRecorded()).isAfter(Instant.now().minusSeconds(60));
            assertThat(p.getAgentFirstRep().getWho().getIdentifier().getValue()).isIn("NJ", "NY", "PA");
            assertThat(p.getTarget()).extracting(r -> r.getReference()).anyMatch(r -> r.startsWith("Patient/"));
        });
        assertThat(matches(bundle, Immunization.class)).hasSize(7);
        assertThat(issues(bundle)).containsExactly("NJ answered", "NY answered", "PA answered");
    }

    @Test
    void whenRegistryLateRejectingOrUnsureThenTheOthersStillAnswerByTheDeadline() {
        demo.set("NJ", Knobs.latency(Duration.ofSeconds(5)));
        demo.set("NY", Knobs.fault(DemoFault.REJECT));

        long start = System.nanoTime();
        Bundle bundle = search("Immunization?patient.family=Johnson&patient.given=Marcus&patient.birthdate=1980-07-02",
                NO_CACHE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofMillis(2_900));
        assertThat(issues(bundle)).containsExactly("NJ timed-out", "NY rejected", "PA answered");
        assertThat(outcome(bundle).getIssue().get(1).getDiagnostics()).contains("rejected the query: ");
        // NY said no this time, so none of its doses; NJ's doses (if an earlier answer is stored) are kept, marked so.
        assertThat(matches(bundle, Immunization.class)).noneMatch(d -> tags(d).contains("NY"))
                .anyMatch(d -> tags(d).contains("PA"));

        demo.reset();
        Bundle unsure = search("Patient?family=Davis&given=Emma&birthdate=2019-09-09", NO_CACHE);
        assertThat(issues(unsure)).contains("NY candidates");
        assertThat(outcome(unsure).getIssue().get(1).getDiagnostics()).contains("add details");
    }

    @Test
    void whenRegistryFailsOnRefreshThenItsEarlierAnswerIsKeptAndSaidSo() {
        search("Immunization?" + SOPHIA, NO_CACHE);
        demo.set("NJ", Knobs.fault(DemoFault.SECURITY_FAULT));

        Bundle bundle = search("Immunization?" + SOPHIA + "&_count=50", NO_CACHE);

        assertThat(matches(bundle, Immunization.class)).hasSize(18);
        assertThat(outcome(bundle).getIssueFirstRep().getDiagnostics())
                .contains("could not be asked", "SecurityFault", "its answer of", "is shown");
    }

    @Test
    void whenRecordFreshThenStoredAnswerUnlessNoCache() {
        String query = "Patient?family=Martinez&given=Olivia&birthdate=2015-08-30";
        search(query, NO_CACHE);
        long before = demo.calls("PA");

        Bundle stored = search(query);
        String id = matches(stored, Patient.class).get(0).getIdPart();
        search("Immunization?patient=Patient/" + id);
        search("ImmunizationRecommendation?patient=Patient/" + id);
        assertThat(demo.calls("PA")).isEqualTo(before);
        assertThat(outcome(stored).getIssue()).last().satisfies(i ->
                assertThat(i.getDiagnostics()).contains("the registries were asked at", "Cache-Control: no-cache"));

        search("Immunization?patient=Patient/" + id, NO_CACHE);
        assertThat(demo.calls("PA")).isEqualTo(before + 1);
    }

    @Test
    void whenManyAskForOnePersonAtOnceThenRegistriesAreAskedOnce() throws Exception {
        demo.set("NJ", Knobs.latency(Duration.ofMillis(400)));
        search("Immunization?" + SOPHIA, NO_CACHE);
        long before = demo.calls("NJ");

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Bundle>> requests = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> search("Immunization?" + SOPHIA + "&_count=50", NO_CACHE), pool)).toList();
            for (CompletableFuture<Bundle> request : requests) {
                assertThat(matches(request.get(), Immunization.class)).hasSize(18);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(demo.calls("NJ") - before).isBetween(1L, 2L); // one flight; a straggler may start a second
    }

    @Test
    void whenSearchedWithStandardParametersThenFilteredPagedAndIncluded() {
        String id = matches(search("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14"), Patient.class).get(0)
                .getIdPart();

        Bundle pcv = search("Immunization?patient=Patient/" + id
                + "&vaccine-code=http://hl7.org/fhir/sid/cvx%7C133&date=ge2021-07-01&_include=Immunization:patient");
        assertThat(matches(pcv, Immunization.class)).extracting(d -> d.getOccurrenceDateTimeType().getValueAsString())
                .containsExactly("2021-07-19", "2021-09-20", "2022-03-21");
        assertThat(pcv.getEntry()).anySatisfy(e -> {
            assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
            assertThat(e.getResource()).isInstanceOf(Patient.class);
        });

        Bundle first = search("Immunization?patient=Patient/" + id + "&_count=5&_sort=-date");
        Bundle second = client.fhir().loadPage().next(first).execute();
        assertThat(first.getTotal()).isEqualTo(18);
        assertThat(matches(first, Immunization.class)).first()
                .satisfies(d -> assertThat(d.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2022-10-03"));
        assertThat(matches(second, Immunization.class)).hasSize(5);

        Bundle refused = search("Immunization?patient=Patient/" + id + "&status=not-done");
        assertThat(matches(refused, Immunization.class)).singleElement()
                .satisfies(d -> assertThat(d.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("00"));

        HttpResponse<String> xml = client.get("Immunization?patient=Patient/" + id + "&_format=xml&_count=1");
        assertThat(xml.body()).startsWith("<Bundle xmlns=\"http://hl7.org/fhir\">").contains("<mode value=\"outcome\"/>");

        // Plain JSON is written from the stored resources' encoded text; pretty JSON by HAPI from the resources.
        String all = "Immunization?patient=Patient/" + id + "&_include=Immunization:patient&_revinclude=Provenance:target";
        HttpResponse<String> plain = client.get(all);
        List<Bundle.BundleEntryComponent> spliced = client.parse(plain, Bundle.class).getEntry();
        List<Bundle.BundleEntryComponent> encoded = client.parse(client.get(all + "&_pretty=true"), Bundle.class).getEntry();
        assertThat(plain.body()).doesNotContain("\n");
        assertThat(spliced).hasSameSizeAs(encoded).hasSizeGreaterThan(20);
        for (int i = 0; i < spliced.size(); i++) {
            assertThat(spliced.get(i).equalsDeep(encoded.get(i))).as("entry %d", i).isTrue();
        }
    }

    @Test
    void whenEverythingAskedThenTheWholeRecord() {
        String id = matches(search("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14"), Patient.class).get(0)
                .getIdPart();

        Bundle everything = client.parse(client.get("Patient/" + id + "/$everything"), Bundle.class);

        assertThat(everything.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Patient",
                "Immunization", "ImmunizationRecommendation", "Provenance", "OperationOutcome");
        assertThat(matches(everything, Immunization.class)).hasSize(18);
        assertThat(client.get("Patient/" + id).statusCode()).isEqualTo(200);
        String doseId = matches(everything, Immunization.class).get(0).getIdPart();
        assertThat(client.get("Immunization/" + doseId).statusCode()).isEqualTo(200);
    }

    @Test
    void whenMatchAskedThenScoredAndGradedCandidates() {
        String parameters = """
                {"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient",
                 "name":[{"family":"Davis","given":["Emma"]}],"birthDate":"2019-09-09","gender":"female"}},
                 {"name":"count","valueInteger":5}]}""";
        Bundle unsure = client.parse(client.post("Patient/$match", "application/fhir+json", parameters), Bundle.class);
        assertThat(unsure.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .hasSize(2).allSatisfy(e -> {
                    assertThat(e.getSearch().getScore()).isPositive();
                    assertThat(e.getSearch().getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/match-grade")
                            .getValue().primitiveValue()).isEqualTo("possible");
                });

        String sophia = parameters.replace("Davis", "Rivera").replace("Emma", "Sophia").replace("2019-09-09", "2021-03-14")
                .replace("\"count\",\"valueInteger\":5", "\"onlyCertainMatches\",\"valueBoolean\":true");
        Bundle certain = client.parse(client.post("Patient/$match", "application/fhir+json", sophia), Bundle.class);
        assertThat(certain.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .singleElement().satisfies(e -> assertThat(e.getSearch().getScore().doubleValue()).isEqualTo(1.0));
    }

    @Test
    void whenTooLittleToIdentifyThenOperationOutcomeSaysWhatIsMissing() {
        HttpResponse<String> familyOnly = client.get("Patient?family=Smith");
        assertThat(familyOnly.statusCode()).isEqualTo(400);
        assertThat(familyOnly.body()).contains("OperationOutcome", "missing: given, birthdate");

        assertThat(client.get("Immunization").body()).contains("need the person");
        assertThat(client.get("Immunization?patient.family=Smith&patient.given=Noah&patient.birthdate=2024")
                .body()).contains("full date");
        assertThat(client.get("Immunization?patient.name=Smith").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = client.get("Patient/pnotstored");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("not a stored record", "Search Patient by family, given and birthdate");
    }

    @Test
    void whenReadBackFromTheDatabaseThenTheSameRecord() {
        String id = matches(search("Patient?family=Rivera&given=Sophia&birthdate=2021-03-14", NO_CACHE), Patient.class)
                .get(0).getIdPart();
        PersonRecord served = store.get(id).orElseThrow();

        PersonRecord read = new RecordStore(dataSource, fhir, consolidator, 10, Duration.ofMinutes(1)).get(id)
                .orElseThrow();

        assertThat(read.resources()).extracting(r -> r.fhirType() + "/" + r.getIdPart())
                .containsExactlyElementsOf(served.resources().stream().map(r -> r.fhirType() + "/" + r.getIdPart()).toList());
        assertThat(read.resources()).hasSizeGreaterThan(20);
        for (int i = 0; i < served.resources().size(); i++) {
            assertThat(read.resources().get(i).equalsDeep(served.resources().get(i))).as(read.resources().get(i).getId())
                    .isTrue();
        }
        assertThat(read.outcome().equalsDeep(served.outcome())).isTrue();
        assertThat(read.refreshedAt()).isEqualTo(served.refreshedAt());
    }

    @Test
    void whenRegistriesGiveTheSameAnswersAgainThenTheSameResourcesWithNewProvenance() {
        String id = matches(search("Patient?family=Johnson&given=Marcus&birthdate=1980-07-02", NO_CACHE), Patient.class)
                .get(0).getIdPart();
        PersonRecord first = store.get(id).orElseThrow();

        search("Patient?family=Johnson&given=Marcus&birthdate=1980-07-02", NO_CACHE); // found by demographics again
        Bundle refreshed = search("Immunization?patient=Patient/" + id + "&_revinclude=Provenance:target&_count=50",
                NO_CACHE); // and refreshed by id
        PersonRecord again = store.get(id).orElseThrow();

        assertThat(again.refreshedAt()).isAfter(first.refreshedAt());
        assertThat(again.resources()).hasSameSizeAs(first.resources());
        assertThat(again.patient()).isSameAs(first.patient());
        for (int i = 0; i < first.immunizations().size(); i++) {
            assertThat(again.immunizations().get(i)).isSameAs(first.immunizations().get(i));
        }
        assertThat(matches(refreshed, Immunization.class)).isNotEmpty().allSatisfy(dose ->
                assertThat(dose.getMeta().getLastUpdated()).isBeforeOrEqualTo(java.util.Date.from(first.refreshedAt())));
        assertThat(matches(refreshed, org.hl7.fhir.r4.model.Provenance.class)).isNotEmpty().allSatisfy(provenance -> {
            assertThat(provenance.getRecorded()).isAfter(java.util.Date.from(first.refreshedAt()));
            assertThat(provenance.getEntityFirstRep().getWhat().getDisplay()).contains("given again unchanged");
        });

        PersonRecord read = new RecordStore(dataSource, fhir, consolidator, 10, Duration.ofMinutes(1)).get(id)
                .orElseThrow();
        for (int i = 0; i < again.resources().size(); i++) {
            assertThat(read.resources().get(i).equalsDeep(again.resources().get(i))).as(read.resources().get(i).getId())
                    .isTrue();
        }
    }

    @Test
    void whenRetentionPassedThenStoredRecordsArePurged() {
        String id = matches(search("Patient?family=Kim&given=Daniel&birthdate=2012-06-18&mothers-maiden-name=Park",
                NO_CACHE), Patient.class).get(0).getIdPart();

        int purged = store.purge(Instant.now().plusSeconds(1));

        assertThat(purged).isPositive();
        assertThat(client.get("Patient/" + id).statusCode()).isEqualTo(404);
    }

    /** Two instances on one database: while one purges (holding the purge's lock), the other's turn deletes nothing. */
    @Test
    void whenAnotherInstanceIsPurgingThenThisOnePurgesNothingAndNoErrorIsRaised() throws Exception {
        String id = matches(search("Patient?family=Kim&given=Daniel&birthdate=2012-06-18&mothers-maiden-name=Park",
                NO_CACHE), Patient.class).get(0).getIdPart();

        try (java.sql.Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, RecordStore.PURGE_LOCK);
                lock.execute();
            }
            assertThat(store.purge(Instant.now().plusSeconds(1))).as("the other instance's turn").isZero();
            assertThat(client.get("Patient/" + id).statusCode()).isEqualTo(200);
            other.commit();
        }
        assertThat(store.purge(Instant.now().plusSeconds(1))).as("its own turn, once the other is done").isPositive();
    }

    private Bundle search(String query, String... cacheControl) {
        HttpResponse<String> response = cacheControl.length == 0 ? client.get(query)
                : client.get(query, "Cache-Control", cacheControl[0]);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return client.parse(response, Bundle.class);
    }

    private static <T extends Resource> List<T> matches(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static OperationOutcome outcome(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME)
                .map(e -> (OperationOutcome) e.getResource()).findFirst().orElseThrow();
    }

    /** Each registry issue as "ID status-code". */
    private static List<String> issues(Bundle bundle) {
        return outcome(bundle).getIssue().stream().filter(i -> i.hasExtension(RegistryOutcomes.REGISTRY_EXTENSION))
                .map(i -> i.getExtensionByUrl(RegistryOutcomes.REGISTRY_EXTENSION).getValue().primitiveValue() + " "
                        + i.getDetails().getCodingFirstRep().getCode()).toList();
    }

    private static List<String> tags(Resource resource) {
        return resource.getMeta().getTag().stream().map(t -> t.getCode()).toList();
    }
}
