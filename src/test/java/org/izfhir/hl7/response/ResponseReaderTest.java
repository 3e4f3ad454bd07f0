package org.izfhir.hl7.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.izfhir.hl7.Hl7TestMessages.ig;
import static org.izfhir.hl7.Hl7TestMessages.sandboxAnswer;

import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.hl7.CodingSystems;
import org.izfhir.hl7.Extensions;
import org.junit.jupiter.api.Test;

/** Every mapped value checked against the CDC HL7 2.5.1 IG release 1.5. */
class ResponseReaderTest {

    private static final String REGISTRY = "NJ";
    private final ResponseReader reader = new ResponseReader();

    private RegistryResponse read(String message) {
        return reader.read(message, REGISTRY);
    }

    @Test
    void whenZ32ThenPatientIsMappedFieldByField() {
        RegistryResponse response = read(ig("rsp-z32-history-with-iis-id"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY);
        assertThat(response.header().profile()).isEqualTo("Z32");
        assertThat(response.header().acknowledgedControlId()).isEqualTo("793543");
        assertThat(response.header().queryTag()).isEqualTo("1072");
        Patient patient = response.patient();
        assertThat(patient.getIdentifier()).extracting(Identifier::getValue, Identifier::getSystem,
                        i -> i.getType().getCodingFirstRep().getCode(), i -> i.getAssigner().getDisplay())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("123456", "http://izfhir.org/fhir/sid/registry/NJ/MYEHR", "MR", "MYEHR"),
                        org.assertj.core.groups.Tuple.tuple("987633", "http://izfhir.org/fhir/sid/registry/NJ/MYIIS", "SR", "MYIIS"));
        HumanName name = patient.getNameFirstRep();
        assertThat(name.getFamily()).isEqualTo("Child");
        assertThat(name.getGiven()).extracting(Object::toString).containsExactly("Robert", "Quenton");
        assertThat(name.getUse()).isEqualTo(HumanName.NameUse.OFFICIAL);
        assertThat(patient.getExtensionByUrl(Extensions.MOTHERS_MAIDEN_NAME).getValue().primitiveValue()).isEqualTo("Que");
        Address address = patient.getAddressFirstRep();
        assertThat(address.getLine()).extracting(Object::toString).containsExactly("10 East Main St");
        assertThat(address.getCity()).isEqualTo("Myfaircity");
        assertThat(address.getState()).isEqualTo("GA");
        Extension protection = patient.getExtensionByUrl(Extensions.PROTECTION);
        assertThat(((BooleanType) protection.getExtensionByUrl("value").getValue()).booleanValue()).isFalse();
        assertThat(protection.getExtensionByUrl("effective").getValue().primitiveValue()).isEqualTo("2009-11-30");
        assertThat(patient.getMeta().getSecurity()).isEmpty();
        Patient.ContactComponent mother = patient.getContactFirstRep();
        assertThat(mother.getName().getGivenAsSingleString()).isEqualTo("Suzy");
        assertThat(mother.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
        assertThat(mother.getRelationshipFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0063");
    }

    @Test
    void whenZ32ThenDoseIsMappedFieldByField() {
        Immunization dose = read(ig("rsp-z32-history-with-iis-id")).immunizations().get(0);

        assertThat(dose.getStatus()).isEqualTo(Immunization.ImmunizationStatus.COMPLETED);
        assertThat(dose.getVaccineCode().getCodingFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/cvx");
        assertThat(dose.getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("03");
        assertThat(dose.getVaccineCode().getCodingFirstRep().getDisplay()).isEqualTo("MMR");
        assertThat(dose.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2005-07-25");
        assertThat(dose.getDoseQuantity().getValue()).isEqualByComparingTo("0.5");
        assertThat(dose.getDoseQuantity().getCode()).isEqualTo("mL");
        assertThat(dose.getDoseQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(dose.getPrimarySource()).isTrue();
        assertThat(dose.hasReportOrigin()).isFalse();
        assertThat(dose.getRoute().getCodingFirstRep().getCode()).isEqualTo("SC");
        assertThat(dose.getRoute().getCodingFirstRep().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0162");
        assertThat(dose.getPerformer()).extracting(p -> p.getFunction().getCodingFirstRep().getCode(),
                p -> p.getActor().getDisplay()).containsExactly(
                // ORC-10 (Fred Shotgiver) is the person who entered the order, not a performer.
                org.assertj.core.groups.Tuple.tuple("OP", "Sally Orderwriter MD"));
        Identifier filler = dose.getIdentifierFirstRep();
        assertThat(filler.getValue()).isEqualTo("142324567");
        assertThat(filler.getSystem()).isEqualTo("http://izfhir.org/fhir/sid/registry/NJ/YOUR_EHR");
        assertThat(filler.getType().getCodingFirstRep().getCode()).isEqualTo("FILL");
    }

    @Test
    void whenHistoricalDoseWithFundingAndVisThenAllIsKept() {
        RegistryResponse response = read(ig("rsp-z32-one-dose-err-info"));
        Immunization dose = response.immunizations().get(0);

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY);
        assertThat(dose.getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("208");
        assertThat(dose.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2021-05-16");
        assertThat(dose.getPrimarySource()).isFalse();
        assertThat(dose.getReportOrigin().getCodingFirstRep().getCode()).isEqualTo("01");
        assertThat(dose.getReportOrigin().getCodingFirstRep().getSystem()).isEqualTo(CodingSystems.LOCAL_PREFIX + "NIP001");
        assertThat(dose.getRoute().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("http://ncimeta.nci.nih.gov", "C28161"),
                org.assertj.core.groups.Tuple.tuple("http://terminology.hl7.org/CodeSystem/v2-0162", "IM"));
        assertThat(dose.getSite().getCodingFirstRep().getCode()).isEqualTo("RT");
        assertThat(dose.getSite().getCodingFirstRep().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0163");
        assertThat(dose.getProgramEligibilityFirstRep().getCodingFirstRep().getCode()).isEqualTo("V02");
        assertThat(dose.getProgramEligibilityFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0064");
        assertThat(dose.getEducation()).singleElement().satisfies(education -> {
            assertThat(education.getDocumentType()).isEqualTo("253088698300026411121116");
            assertThat(education.getPresentationDateElement().getValueAsString()).isEqualTo("2012-01-13");
        });
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(error.severity()).isEqualTo(Hl7Error.Severity.INFORMATION);
            assertThat(error.code()).isEqualTo("0");
            assertThat(error.text()).isEqualTo("3 of 3 immunizations have been added to IIS");
        });
        Patient patient = response.patient();
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1963-12-26");
        assertThat(patient.getExtensionByUrl(Extensions.US_CORE_RACE).getExtensionByUrl("text").getValue()
                .primitiveValue()).isEqualTo("ASIAN");
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("8005551212");
    }

    @Test
    void whenZ42ThenDosesEvaluationsAndForecastAreMapped() {
        RegistryResponse response = read(ig("rsp-z42-evaluated-history-and-forecast"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY_AND_FORECAST);
        assertThat(response.immunizations()).extracting(i -> i.getVaccineCode().getCodingFirstRep().getCode())
                .containsExactly("31", "48", "110");
        assertThat(response.immunizations().get(0).getOccurrenceDateTimeType().getValueAsString())
                .isEqualTo("2009-04-15T13:25:11Z");
        // RXA-3 "20091051132511" is no date (day 51): kept as sent, not guessed.
        assertThat(response.immunizations().get(2).getOccurrenceStringType().getValue()).isEqualTo("20091051132511");
        assertThat(response.immunizations().get(1).getLotNumber()).isEqualTo("33k2a");
        assertThat(response.immunizations().get(1).getManufacturer().getIdentifier().getValue()).isEqualTo("PMC");
        assertThat(response.immunizations().get(2).getManufacturer().getIdentifier().getValue()).isEqualTo("SKB");

        assertThat(response.evaluations()).hasSize(5);
        ImmunizationEvaluation first = response.evaluations().get(0);
        assertThat(first.getImmunizationEvent().getResource()).isSameAs(response.immunizations().get(0));
        assertThat(first.getTargetDisease().getCodingFirstRep().getCode()).isEqualTo("31");
        assertThat(first.getDoseNumberPositiveIntType().getValue()).isEqualTo(1);
        assertThat(first.getSeriesDosesPositiveIntType().getValue()).isEqualTo(3);
        assertThat(first.getAuthority().getDisplay()).isEqualTo("ACIP");
        assertThat(first.getDoseStatus().getCodingFirstRep().getCode()).isEqualTo("valid");
        assertThat(response.evaluations()).extracting(e -> e.getTargetDisease().getCodingFirstRep().getCode(),
                        e -> e.getDoseNumberPositiveIntType().getValue(), e -> e.getSeriesDosesPositiveIntType().getValue())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("31", 1, 3),
                        org.assertj.core.groups.Tuple.tuple("17", 1, 4),
                        org.assertj.core.groups.Tuple.tuple("110", 2, 3),
                        org.assertj.core.groups.Tuple.tuple("10", 1, 4),
                        org.assertj.core.groups.Tuple.tuple("20", 1, 5));

        assertThat(response.forecast().getRecommendation()).singleElement().satisfies(recommendation -> {
            assertThat(recommendation.getVaccineCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("31");
            assertThat(recommendation.getForecastStatus().getCodingFirstRep().getCode()).isEqualTo("due");
            assertThat(recommendation.getDateCriterion()).singleElement().satisfies(criterion -> {
                assertThat(criterion.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
                assertThat(criterion.getCode().getCodingFirstRep().getCode()).isEqualTo("30980-7");
                assertThat(criterion.getValueElement().getValueAsString()).isEqualTo("2009-10-15");
            });
        });
        assertThat(response.forecast().getAuthority().getDisplay()).isEqualTo("ACIP");
        assertThat(response.forecast().getPatient().getResource()).isSameAs(response.patient());
    }

    @Test
    void whenForecastOnlyThenEachVaccineGroupIsARecommendation() {
        RegistryResponse response = read(ig("rsp-z42-three-recommendations"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY_AND_FORECAST);
        assertThat(response.immunizations()).isEmpty();
        List<ImmunizationRecommendationRecommendationComponent> recommendations = response.forecast().getRecommendation();
        assertThat(recommendations).extracting(r -> r.getVaccineCodeFirstRep().getCodingFirstRep().getCode())
                .containsExactly("03", "10", "107");
        assertThat(recommendations).allSatisfy(r ->
                assertThat(r.getDateCriterionFirstRep().getValueElement().getValueAsString()).isEqualTo("2015-02-14"));
        assertThat(response.patient().getIdentifier()).extracting(Identifier::getValue).containsExactly("123456", "34500907");
    }

    @Test
    void whenPatientLevelFindingsThenObservationsForTheForecast() {
        // The IG's forecast answer plus an order group of findings (CDC IG 1.5, evidence of immunity
        // and contraindications on an RXA "no vaccine administered"), and a reaction, which is skipped.
        String message = ig("rsp-z42-three-recommendations") + "ORC|RE||9999^IIS\r"
                + "RXA|0|1|20150131|20150131|998^no vaccine admin^CVX|999||||||||||||||NA\r"
                + "OBX|1|CE|59784-9^Disease with presumed immunity^LN|1|38907003^Varicella infection^SCT||||||F|||20130601\r"
                + "OBX|2|CE|30945-0^Vaccination contraindication^LN|2|VXC18^Allergy to baker's yeast^CDCPHINVS||||||F\r"
                + "OBX|3|CE|31044-1^Reaction^LN|3|39579001^Anaphylaxis^SCT||||||F|||20140101\r";
        RegistryResponse base = read(ig("rsp-z42-three-recommendations"));
        RegistryResponse response = read(message);

        assertThat(response.findings()).hasSize(2);
        Observation immunity = response.findings().get(0);
        assertThat(immunity.getCode().getCodingFirstRep().getCode()).isEqualTo("59784-9");
        assertThat(immunity.getValueCodeableConcept().getCodingFirstRep())
                .extracting(Coding::getSystem, Coding::getCode).containsExactly("http://snomed.info/sct", "38907003");
        assertThat(immunity.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2013-06-01");
        assertThat(immunity.getSubject().getResource()).isSameAs(response.patient());
        assertThat(response.findings().get(1).getValueCodeableConcept().getCodingFirstRep())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly("urn:oid:2.16.840.1.114222.4.5.274", "VXC18");
        assertThat(response.findings().get(1).hasEffective()).isFalse();
        assertThat(response.skippedSegments()).isEqualTo(base.skippedSegments() + 1); // the reaction
        assertThat(response.forecast().getRecommendation()).hasSize(3);
        assertThat(base.findings()).isEmpty();
    }

    @Test
    void whenSeveralPeopleAndNoDosesThenCandidatesWithoutImmunizations() {
        RegistryResponse response = read(ig("rsp-z31-two-candidates"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.CANDIDATES);
        assertThat(response.patient()).isNull();
        assertThat(response.candidates()).hasSize(2);
        assertThat(response.candidates()).allSatisfy(candidate -> {
            assertThat(candidate.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Robert");
            assertThat(candidate.getBirthDateElement().getValueAsString()).isEqualTo("2005-05-12");
        });
        assertThat(response.immunizations()).isEmpty();
    }

    @Test
    void whenCandidateListLabelledZ31BySandboxThenCandidates() {
        assertThat(read(sandboxAnswer("qbp_z34_multi")).kind()).isEqualTo(RegistryResponse.Kind.CANDIDATES);
    }

    @Test
    void whenQueryStatusNfOrTmThenNotFoundOrTooMany() {
        assertThat(read(ig("rsp-z33-not-found")).kind()).isEqualTo(RegistryResponse.Kind.NOT_FOUND);
        assertThat(read(ig("rsp-z33-too-many")).kind()).isEqualTo(RegistryResponse.Kind.TOO_MANY);
        assertThat(read(sandboxAnswer("qbp_z34_nomatch")).kind()).isEqualTo(RegistryResponse.Kind.NOT_FOUND);
    }

    @Test
    void whenQueryRejectedThenErrorSaysWhatAndWhere() {
        RegistryResponse response = read(sandboxAnswer("qbp_z34_missingdob"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(error.location()).isEqualTo("QPD-6");
            assertThat(error.code()).isEqualTo("101");
            assertThat(error.severity()).isEqualTo(Hl7Error.Severity.ERROR);
            assertThat(error.text()).isEqualTo("Date of Birth is missing");
        });
        assertThat(response.errorSummary()).isEqualTo("Date of Birth is missing (HL7 error 101) at QPD-6");
        assertThat(read(ig("rsp-z33-ae-missing-field")).errors().get(0).location()).isEqualTo("QPD-2");
    }

    @Test
    void whenQueryAnsweredWithAckThenRejected() {
        assertThat(read(ig("ack-q11-unsupported-message-type")).kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
    }

    @Test
    void whenSubmissionAcknowledgedThenAcceptedOrRejectedWithErrors() {
        assertThat(read(ig("ack-aa")).kind()).isEqualTo(RegistryResponse.Kind.ACCEPTED);
        assertThat(read(sandboxAnswer("vxu1")).kind()).isEqualTo(RegistryResponse.Kind.ACCEPTED);
        assertThat(read(ig("ack-ar-rejected")).kind()).isEqualTo(RegistryResponse.Kind.REJECTED);
        RegistryResponse partial = read(ig("ack-ae-segment-rejected"));
        assertThat(partial.kind()).isEqualTo(RegistryResponse.Kind.ACCEPTED_WITH_ERRORS);
        assertThat(partial.errors()).singleElement().satisfies(error -> {
            // ERL "NK1^3" is the third NK1 segment (ERR-2.2 is a sequence, ERR-2.3 the field).
            assertThat(error.location()).isEqualTo("NK1[3]");
            assertThat(error.applicationCode()).isEqualTo("7");
            assertThat(error.text()).isEqualTo("Relationship missing -- segment rejected");
        });
        RegistryResponse bad = read(sandboxAnswer("vxu_bad"));
        assertThat(bad.errors()).extracting(Hl7Error::severity).containsExactly(
                Hl7Error.Severity.WARNING, Hl7Error.Severity.WARNING, Hl7Error.Severity.ERROR);
        assertThat(bad.errors().get(2).location()).isEqualTo("PID-7");
    }

    @Test
    void whenSandboxZ42WithoutForecastThenHistoryWithDemographics() {
        RegistryResponse response = read(sandboxAnswer("qbp_z44_match"));

        assertThat(response.kind()).isEqualTo(RegistryResponse.Kind.HISTORY);
        assertThat(response.header().profile()).isEqualTo("Z42");
        Patient patient = response.patient();
        assertThat(patient.getIdentifier()).extracting(Identifier::getValue).containsExactly("VFLLN4E6DE39", "TST-100001");
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("657-555-8563");
        assertThat(patient.getTelecomFirstRep().getUse()).isEqualTo(ContactPoint.ContactPointUse.HOME);
        assertThat(patient.getAddressFirstRep().getCountry()).isEqualTo("USA");
        assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("02452");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(response.immunizations()).hasSize(2);
        Immunization hepB = response.immunizations().get(0);
        assertThat(hepB.getLotNumber()).isEqualTo("Z0860BB");
        assertThat(hepB.getExpirationDateElement().getValueAsString()).isEqualTo("2025-11-04");
        assertThat(hepB.getManufacturer().getDisplay()).isEqualTo("Merck and Co., Inc.");
        assertThat(hepB.getLocation().getIdentifier().getValue()).isEqualTo("X68");
        assertThat(hepB.getEducation()).singleElement().satisfies(vis -> {
            assertThat(vis.getDocumentType()).isEqualTo("CVX 45");
            assertThat(vis.getPublicationDateElement().getValueAsString()).isEqualTo("2012-02-02");
            assertThat(vis.getPresentationDateElement().getValueAsString()).isEqualTo("2021-08-14");
        });
        assertThat(hepB.getIdentifier()).extracting(Identifier::getValue).containsExactly("IZ-783274", "1");
    }
}
