package org.izfhir.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.registry.RegistryConfig;
import org.izfhir.registry.soap.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ACKs as registries send them, read into delivery states and OperationOutcome issues; routing; backoff. */
class AcknowledgmentsTest {

    private static final String SENT = "MSH|^~\\&|IZFHIR|IZFHIR-DEMO|NJIIS|NJ|20250101120000+0000||VXU^V04^VXU_V04|C1|P|2.5.1\r"
            + "PID|1||P1^^^IZFHIR^PI||DOE^JANE||20240115|F\r"
            + "ORC|RE||sub-1^IZFHIR\r"
            + "RXA|0|1|20250101|20250101|08^Hep B^CVX|0.5|mL^mL^UCUM||00^New^NIP001||||||LOT1||MSD^^MVX|||CP|A\r"
            + "RXR|IM^^HL70162|LT^^HL70163\r"
            + "OBX|1|CE|64994-7^Eligibility^LN|1|V02^VFC^HL70064||||||F\r"
            + "OBX|2|CE|30963-3^Funding^LN|2|VXC50^Public^CDCPHINVS||||||F\r";

    private static OperationOutcome.OperationOutcomeIssueComponent only(Acknowledgments.Reading reading) {
        assertThat(reading.outcome().getIssue()).hasSize(1);
        return reading.outcome().getIssueFirstRep();
    }

    private static Acknowledgments.Reading read(String msa, String... errs) throws Exception {
        StringBuilder ack = new StringBuilder("MSH|^~\\&|NJIIS|NJ|IZFHIR|IZFHIR-DEMO|20250101120001+0000||ACK^V04^ACK|A1|P|2.5.1\r")
                .append("MSA|").append(msa.contains("|") ? msa : msa + "|C1").append('\r');
        for (String err : errs) {
            ack.append(err).append('\r');
        }
        Message sent = new MessageReader().read(SENT);
        return Acknowledgments.read(new ResponseReader().read(ack.toString(), "NJ"), sent, "NJ");
    }

    @Test
    void whenAnErrorIsAcknowledgedThenEachPartLandsInItsOwnField() throws Exception {
        var issue = only(read("AE", "ERR||RXA^1^15|102^Data type error^HL70357|E|4^Invalid value^HL70533^NJ-LOT-07^Unknown lot^L"
                + "|||Lot number is not valid"));
        assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
        assertThat(issue.getCode()).isEqualTo(IssueType.VALUE);
        assertThat(issue.getExpression()).extracting(Object::toString).containsExactly("Immunization.lotNumber");
        assertThat(issue.getDetails().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Acknowledgments.TABLE_0357, "102", "Data type error"),
                        org.assertj.core.groups.Tuple.tuple(Acknowledgments.TABLE_0533, "4", "Invalid value"),
                        org.assertj.core.groups.Tuple.tuple(Acknowledgments.REGISTRY_ERROR_CODES + "NJ", "NJ-LOT-07", "Unknown lot"));
        assertThat(issue.getDetails().getText()).isEqualTo("Lot number is not valid");
        assertThat(issue.getDiagnostics()).isEqualTo("HL7 location RXA-15");
    }

    @ParameterizedTest(name = "MSA-1 {0} with ERR-4 {1}: {2}")
    @CsvSource({
            "AA, , ACCEPTED",
            "AA, I, ACCEPTED",
            "AA, W, ACCEPTED_WITH_WARNINGS",
            "AE, W, ACCEPTED_WITH_WARNINGS",
            "AE, N, ACCEPTED_WITH_WARNINGS",
            "AE, E, REJECTED",
            "AR, E, REJECTED",
            "AR, W, REJECTED",
            "CA, , ACCEPTED",
            "CE, W, ACCEPTED_WITH_WARNINGS"})
    void whenTheAckCodeAndSeveritiesAreReadThenTheStateFollowsTheIipGuidance(String msa, String severity,
                                                                            DeliveryState state) throws Exception {
        Acknowledgments.Reading reading = severity == null ? read(msa)
                : read(msa, "ERR||PID^1^13|101^Required field missing^HL70357|" + severity + "|||Phone missing");
        assertThat(reading.state()).isEqualTo(state);
    }

    @Test
    void whenANoticeIsSentThenItIsInformation() throws Exception {
        assertThat(only(read("AE", "ERR||PID^1^13|101^^HL70357|N|||Phone missing")).getSeverity())
                .isEqualTo(IssueSeverity.INFORMATION);
    }

    @Test
    void whenOnlyMsa3ExplainsThenItIsTheIssue() throws Exception {
        var reading = read("AR|C1|Message rejected: unknown facility");
        assertThat(reading.state()).isEqualTo(DeliveryState.REJECTED);
        assertThat(only(reading).getDetails().getText()).isEqualTo("Message rejected: unknown facility");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "PID-7, Patient.birthDate", "PID-5.1, Patient.name", "PID-11, Patient.address", "RXA-5, Immunization.vaccineCode",
            "RXA-3, Immunization.occurrence", "RXA-17, Immunization.manufacturer", "RXR-2, Immunization.site",
            "OBX-5, Immunization.programEligibility", "OBX[2]-5, Immunization.fundingSource", "OBX[9]-5, Immunization",
            "NK1-2, Patient.contact", "ORC-3, Immunization.identifier", "RXA, Immunization", "PD1-16, Patient"})
    void whenAnErrorLocationIsMappedThenItIsAFhirPathOnTheSubmittedResources(String location, String path) throws Exception {
        assertThat(ErrorLocations.expression(location, new MessageReader().read(SENT))).contains(path);
    }

    @Test
    void whenALocationIsNotHl7ThenNoExpressionIsMade() throws Exception {
        assertThat(ErrorLocations.expression("somewhere", new MessageReader().read(SENT))).isEmpty();
        assertThat(ErrorLocations.expression("MSH-7", new MessageReader().read(SENT))).isEmpty();
    }

    private static RegistryConfig registry(String id, boolean submissions, String... states) {
        return new RegistryConfig(id, id, "http://localhost/" + id, Transport.CDC_2011, null, "F", "u", "p", QueryProfile.Z34,
                new MessageHeader("IZFHIR", "F", id, id, "T"), Set.of(states), submissions, Duration.ofSeconds(1),
                Duration.ofSeconds(1), null);
    }

    @Test
    void whenADoseIsRoutedThenItGoesWhereGivenAndHomeAndNowhereTwice() {
        Routing routing = new Routing(List.of(registry("NJ", true, "NJ"), registry("NYC", true, "NY"),
                registry("NYS", true, "NY"), registry("PA", false, "PA")));
        Routing.Plan plan = routing.plan(Optional.of("NJ"), Optional.of("NY"));
        assertThat(plan.routes()).extracting(r -> r.registry().id() + " " + r.reason())
                .containsExactly("NJ GIVEN_IN", "NYC HOME", "NYS HOME");
        assertThat(routing.plan(Optional.of("NY"), Optional.of("NY")).routes()).hasSize(2);
        Routing.Plan none = routing.plan(Optional.of("PA"), Optional.of("TX"));
        assertThat(none.routes()).isEmpty();
        assertThat(none.uncovered()).containsExactly("PA", "TX");
    }

    @Test
    void whenStatesAreReadThenTheLocationWinsAndTheHomeAddressIsTheCurrentHome() {
        Location location = new Location();
        location.getAddress().setState(" nj ");
        assertThat(Routing.givenIn(Optional.of(location), Optional.empty())).contains("NJ");
        Patient patient = new Patient();
        patient.addAddress().setUse(Address.AddressUse.HOME).setState("PA").getPeriod().setEnd(new java.util.Date(0));
        patient.addAddress().setUse(Address.AddressUse.WORK).setState("DE");
        patient.addAddress().setUse(Address.AddressUse.HOME).setState("NY");
        assertThat(Routing.home(patient)).contains("NY");
    }

    @Test
    void whenAttemptsFailThenTheWaitDoublesUpToTheMaximum() {
        SubmissionProperties properties = new SubmissionProperties(Duration.ofSeconds(8), Duration.ofSeconds(30),
                Duration.ofMinutes(30), Duration.ofDays(7), Duration.ofSeconds(5), Duration.ofMinutes(2), 50,
                Duration.ofHours(1), 100);
        Deliverer deliverer = new Deliverer(null, null, properties, java.time.Clock.systemUTC(), Runnable::run, null);
        assertThat(List.of(1, 2, 3, 6, 7, 50).stream().map(deliverer::backoff).toList()).containsExactly(
                Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(16),
                Duration.ofMinutes(30), Duration.ofMinutes(30));
    }
}
