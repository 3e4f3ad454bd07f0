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
import org.hl7.fhir.r4.model.Organization;
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
        assertThat(immunization.getSearchParam()).extracting(p -> p.getName())
                .containsExactlyInAnyOrder("patient", "date", "vaccine-code", "status");
        // read and search the consolidated doses; create, update and delete submit doses (Immunization/sub-...)
        assertThat(immunization.getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("read", "search-type", "create", "update", "delete");
        assertThat(capabilities.getRestFirstRep().getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactly("transaction");
        CapabilityStatementRestResourceComponent task = capabilities.getRestFirstRep().getResource().stream()
                .filter(resource -> resource.getType().equals("Task")).findFirst().orElseThrow();
        assertThat(task.getSearchParam()).extracting(p -> p.getName()).containsExactlyInAnyOrder("focus", "owner", "status",
                "business-status", "_lastUpdated");
        assertThat(task.getOperation()).extracting(o -> o.getName()).containsExactly("delivery-report");
    }

    @Test
    void whenOrganizationCreatedThenItIsReadAndFoundOnPostgres() {
        String name = "Clinic " + UUID.randomUUID().toString().substring(0, 8);
        Organization organization = new Organization().setName(name);
        organization.addIdentifier().setSystem("urn:test:clinic").setValue(name);

        MethodOutcome created = fhir.create().resource(organization).execute();
        Organization read = fhir.read().resource(Organization.class).withId(created.getId().toUnqualifiedVersionless())
                .execute();
        Bundle found = fhir.search().forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value(name))
                .returnBundle(Bundle.class).execute();

        assertThat(read.getName()).isEqualTo(name);
        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart())
                .isEqualTo(created.getId().getIdPart());
    }

    @Test
    void whenRecordTypeWrittenThenRefusedWithOperationOutcome() {
        var response = client.post("Patient", "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Written\"}]}");

        assertThat(response.statusCode()).isIn(400, 405);
        assertThat(response.body()).contains("OperationOutcome");
    }

    @Test
    void whenXmlAskedThenXmlComes() {
        var response = client.get("metadata?_format=xml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("application/fhir+xml");
        assertThat(response.body()).contains("<CapabilityStatement xmlns=\"http://hl7.org/fhir\">");
    }

    @Test
    void whenRequestHasNoIdThenTheAnswerCarriesOneOfItsOwn() {
        var first = client.get("metadata").headers().firstValue("X-Request-ID");
        var second = client.get("metadata").headers().firstValue("X-Request-ID");

        assertThat(first).get().asString().matches("[A-Za-z0-9]{16}");
        assertThat(second).get().isNotEqualTo(first.get());
    }
}
