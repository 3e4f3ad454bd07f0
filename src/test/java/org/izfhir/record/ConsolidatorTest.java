package org.izfhir.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Provenance;
import org.izfhir.codes.CodeSetLoader;
import org.izfhir.codes.Codes;
import org.izfhir.forecast.CdsiEngine;
import org.izfhir.forecast.SupportingDataReader;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.hl7.response.ResponseReader;
import org.junit.jupiter.api.Test;

/**
 * Consolidation of two registries' answers about one child who moved: one person, one dose per
 * vaccine group and day (the DTaP both report comes once, with both registries' identifiers),
 * provenance per registry, and a registry that failed costing nothing of the other's answer.
 */
class ConsolidatorTest {

    private static final Codes CODES = CodeSetLoader.load(name -> ConsolidatorTest.class.getResourceAsStream("/codes/" + name));
    private static final Consolidator CONSOLIDATOR = new Consolidator(CODES,
            new ForecastResources(new CdsiEngine(SupportingDataReader.fromClasspath()), CODES));
    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");
    private static final PersonQuery QUERY = new PersonQuery(List.of(), "Rivera", "Sophia", null, null, null, null,
            LocalDate.of(2021, 3, 14), "F", null, null, null, null);

    private static String rsp(String registry, String mrn, String... rxa) {
        StringBuilder message = new StringBuilder()
                .append("MSH|^~\\&|").append(registry).append("IIS|").append(registry)
                .append("|EHR|DEMO|20261203120000-0500||RSP^K11^RSP_K11|R").append(mrn).append("|P|2.5.1|||NE|NE|||||Z32^CDCPHINVS\r")
                .append("MSA|AA|Q1\rQAK|Q1|OK|Z34^Request Immunization History^CDCPHINVS\r")
                .append("QPD|Z34^Request Immunization History^CDCPHINVS|Q1||Rivera^Sophia^^^^^L||20210314|F\r")
                .append("PID|1||").append(mrn).append("^^^").append(registry)
                .append("^SR||Rivera^Sophia^Grace^^^^L|Lopez^Ana^^^^^M|20210314|F\r");
        for (int i = 0; i < rxa.length; i++) {
            message.append("ORC|RE||").append(registry).append(i).append("\r").append(rxa[i]).append("\r");
        }
        return message.toString();
    }

    private static RegistryAnswer answer(String registry, String message) {
        return new RegistryAnswer(registry, registry + " IIS", RegistryStatus.ANSWERED,
                new ResponseReader().read(message, registry), message, null, AT, null, false);
    }

    private static final String DTAP = "RXA|0|1|20210920||20^DTaP^CVX|0.5|mL^mL^UCUM||00^New^NIP001||||||L1||PMC^sanofi^MVX|||CP|A";

    @Test
    void whenTwoRegistriesReportTheSameChildThenOnePersonWithEachDoseOnce() {
        List<RegistryAnswer> answers = List.of(
                answer("NJ", rsp("NJ", "NJ-1", DTAP,
                        "RXA|0|1|20210514||08^HepB^CVX|0.5|mL^mL^UCUM||00^New^NIP001|||||||||CP|A")),
                answer("NY", rsp("NY", "NY-9", DTAP.replace("00^New^NIP001", "01^Historical^NIP001"),
                        "RXA|0|1|20221115||03^MMR^CVX|0.5|mL^mL^UCUM||00^New^NIP001|||||||||CP|A")));

        List<Consolidator.Person> people = CONSOLIDATOR.people(QUERY, answers);
        PersonRecord record = CONSOLIDATOR.record("p1", people.get(0), QUERY, answers, AT);

        assertThat(people).hasSize(1);
        assertThat(record.patient().getIdentifier()).extracting(i -> i.getValue()).contains("NJ-1", "NY-9");
        assertThat(record.immunizations()).hasSize(3);
        Immunization dtap = record.immunizations().stream()
                .filter(i -> i.getVaccineCode().getCoding().stream().map(Coding::getCode).anyMatch("20"::equals))
                .findFirst().orElseThrow();
        assertThat(dtap.getPrimarySource()).as("the administering registry's report is kept over the historical one")
                .isTrue();
        assertThat(dtap.getMeta().getTag()).extracting(Coding::getCode).contains("NJ", "NY");
        assertThat(record.provenances()).hasSize(2);
        assertThat(record.provenances()).flatExtracting(Provenance::getTarget)
                .extracting(t -> t.getReference()).contains("Immunization/" + dtap.getIdElement().getIdPart());
    }

    @Test
    void whenOneRegistryFailedThenTheOtherAnswerMakesTheRecordAndTheOutcomeSaysWhy() {
        RegistryAnswer failed = new RegistryAnswer("NY", "NY IIS", RegistryStatus.TIMED_OUT, null, null, null, AT, null,
                false);
        List<RegistryAnswer> answers = List.of(answer("NJ", rsp("NJ", "NJ-1", DTAP)), failed);

        List<Consolidator.Person> people = CONSOLIDATOR.people(QUERY, answers);
        PersonRecord record = CONSOLIDATOR.record("p1", people.get(0), QUERY, answers, AT);

        assertThat(record.immunizations()).hasSize(1);
        assertThat(record.outcome().getIssue()).extracting(i -> i.getDiagnostics())
                .anySatisfy(text -> assertThat(text).contains("NY").contains("did not answer in time"));
    }

    @Test
    void whenTheSameAnswersAreConsolidatedTwiceThenTheSameIds() {
        List<RegistryAnswer> answers = List.of(answer("NJ", rsp("NJ", "NJ-1", DTAP)));
        List<Consolidator.Person> people = CONSOLIDATOR.people(QUERY, answers);

        PersonRecord first = CONSOLIDATOR.record("p1", people.get(0), QUERY, answers, AT);
        PersonRecord again = CONSOLIDATOR.record("p1", CONSOLIDATOR.people(QUERY, answers).get(0), QUERY, answers, AT);

        assertThat(again.resources()).extracting(r -> r.getIdElement().getIdPart())
                .isEqualTo(first.resources().stream().map(r -> r.getIdElement().getIdPart()).toList());
    }
}
