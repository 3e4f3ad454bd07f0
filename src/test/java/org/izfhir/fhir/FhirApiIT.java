package org.izfhir.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.IzFhirServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IzFhirServerTest
class FhirApiIT {

    @LocalServerPort
    int port;

    private FhirTestClient client;
    private IGenericClient fhir;

    @BeforeEach
    void connect() {
        client = new FhirTestClient(port);
        fhir = client.fhir();
    }

    @Test
    void whenMetadataThenCapabilityStatementListsExactlyTheServedTypes() {
        CapabilityStatement capabilities = fhir.capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capabilities.getSoftware().getName()).isEqualTo("IZ FHIR Server");
        assertThat(capabilities.getFormat()).extracting(Object::toString)
                .contains("application/fhir+json", "application/fhir+xml");
        List<String> types = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(types).contains("Patient", "Immunization", "ImmunizationRecommendation", "ImmunizationEvaluation",
                "Provenance", "OperationOutcome", "AuditEvent", "CodeSystem", "ValueSet", "ConceptMap");
        assertThat(types).doesNotContain("Observation", "Encounter", "MedicationRequest");
        CapabilityStatementRestResourceComponent immunization = capabilities.getRestFirstRep().getResource().stream()
                .filter(resource -> resource.getType().equals("Immunization")).findFirst().orElseThrow();
        assertThat(immunization.getSearchInclude()).extracting(Object::toString).contains("Immunization:patient");
        assertThat(immunization.getSearchRevInclude()).extracting(Object::toString).contains("Provenance:target");
    }

    @Test
    void whenPatientCreatedThenItIsReadAndFoundOnPostgres() {
        String family = "Create" + UUID.randomUUID().toString().substring(0, 8);
        Patient patient = patient(family);

        MethodOutcome created = fhir.create().resource(patient).execute();
        Patient read = fhir.read().resource(Patient.class).withId(created.getId().toUnqualifiedVersionless()).execute();
        Bundle found = fhir.search().forResource(Patient.class)
                .where(Patient.FAMILY.matchesExactly().value(family))
                .and(Patient.BIRTHDATE.exactly().day("2019-04-02"))
                .returnBundle(Bundle.class).execute();

        assertThat(read.getNameFirstRep().getFamily()).isEqualTo(family);
        assertThat(read.getBirthDateElement().getValueAsString()).isEqualTo("2019-04-02");
        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart())
                .isEqualTo(created.getId().getIdPart());
    }

    @Test
    void whenImmunizationsSearchedWithIncludeAndPagingThenBundlesLinkUp() {
        IIdType patientId = fhir.create().resource(patient("Paging" + UUID.randomUUID().toString().substring(0, 8)))
                .execute().getId().toUnqualifiedVersionless();
        for (int dose = 1; dose <= 5; dose++) {
            fhir.create().resource(immunization(patientId, "2020-0" + dose + "-15")).execute();
        }

        Bundle first = fhir.search().forResource(Immunization.class)
                .where(Immunization.PATIENT.hasId(patientId))
                .include(Immunization.INCLUDE_PATIENT)
                .sort().ascending(Immunization.DATE)
                .count(2).returnBundle(Bundle.class).execute();
        Bundle second = fhir.loadPage().next(first).execute();
        Bundle third = fhir.loadPage().next(second).execute();

        assertThat(first.getTotal()).isEqualTo(5);
        assertThat(matches(first)).extracting(i -> i.getOccurrenceDateTimeType().getValueAsString())
                .containsExactly("2020-01-15", "2020-02-15");
        assertThat(first.getEntry()).anySatisfy(entry -> {
            assertThat(entry.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
            assertThat(entry.getResource()).isInstanceOf(Patient.class);
        });
        assertThat(matches(second)).extracting(i -> i.getOccurrenceDateTimeType().getValueAsString())
                .containsExactly("2020-03-15", "2020-04-15");
        assertThat(matches(third)).hasSize(1);
        assertThat(third.getLink(Bundle.LINK_NEXT)).isNull();
    }

    @Test
    void whenPatientSearchedWithRevincludeThenImmunizationsComeAlong() {
        IIdType patientId = fhir.create().resource(patient("Rev" + UUID.randomUUID().toString().substring(0, 8)))
                .execute().getId().toUnqualifiedVersionless();
        fhir.create().resource(immunization(patientId, "2021-06-01")).execute();

        Bundle bundle = fhir.search().forResource(Patient.class)
                .where(Patient.RES_ID.exactly().code(patientId.getIdPart()))
                .revInclude(Immunization.INCLUDE_PATIENT)
                .returnBundle(Bundle.class).execute();

        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Patient", "Immunization");
    }

    @Test
    void whenXmlAskedThenXmlComes() {
        var response = client.get("metadata?_format=xml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("application/fhir+xml");
        assertThat(response.body()).contains("<CapabilityStatement xmlns=\"http://hl7.org/fhir\">");
    }

    @Test
    void whenImmunizationSearchedByVaccineCodeAndDateThenOnlyMatchesCome() {
        IIdType patientId = fhir.create().resource(patient("Code" + UUID.randomUUID().toString().substring(0, 8)))
                .execute().getId().toUnqualifiedVersionless();
        fhir.create().resource(immunization(patientId, "2022-01-10")).execute();
        Immunization flu = immunization(patientId, "2022-10-10");
        flu.getVaccineCode().getCodingFirstRep().setCode("150");
        fhir.create().resource(flu).execute();

        Bundle bundle = fhir.search().forResource(Immunization.class)
                .where(Immunization.PATIENT.hasId(patientId))
                .and(Immunization.VACCINE_CODE.exactly().systemAndCode("http://hl7.org/fhir/sid/cvx", "150"))
                .and(Immunization.DATE.afterOrEquals().day("2022-06-01"))
                .returnBundle(Bundle.class).execute();

        assertThat(matches(bundle)).singleElement()
                .satisfies(i -> assertThat(i.getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("150"));
    }

    static Patient patient(String family) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven("Test");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2019-04-02"));
        return patient;
    }

    static Immunization immunization(IIdType patient, String date) {
        Immunization immunization = new Immunization();
        immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        immunization.getVaccineCode().addCoding().setSystem("http://hl7.org/fhir/sid/cvx").setCode("20");
        immunization.setPatient(new Reference(patient));
        immunization.setOccurrence(new DateTimeType(date));
        return immunization;
    }

    private static List<Immunization> matches(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(entry -> entry.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(entry -> (Immunization) entry.getResource()).toList();
    }
}
