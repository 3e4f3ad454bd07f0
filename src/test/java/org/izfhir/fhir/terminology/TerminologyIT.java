package org.izfhir.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.CodeType;
import org.izfhir.IzFhirServerTest;
import org.izfhir.codes.Codes;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@IzFhirServerTest
class TerminologyIT {

    @LocalServerPort
    int port;

    @Autowired
    Codes codes;

    private IGenericClient fhir;

    @BeforeEach
    void connect() {
        fhir = new FhirTestClient(port).fhir();
    }

    @Test
    void whenCvxCodeSystemSearchedByUrlThenEveryConceptOfTheSnapshotIsThere() {
        CodeSystem cvx = single(CodeSetResources.CVX, CodeSystem.class);

        assertThat(cvx.getConcept()).hasSize(codes.vaccines().size()).hasSize(288);
        assertThat(cvx.getCount()).isEqualTo(288);
        assertThat(cvx.getVersion()).isEqualTo(codes.cvxVersion().orElseThrow().toString());
        CodeSystem.ConceptDefinitionComponent mmr = cvx.getConcept().stream()
                .filter(c -> c.getCode().equals("03")).findFirst().orElseThrow();
        assertThat(mmr.getDisplay()).isEqualTo("MMR");
        assertThat(mmr.getProperty()).anySatisfy(p -> {
            assertThat(p.getCode()).isEqualTo("status");
            assertThat(p.getValueCodeType().getCode()).isEqualTo("active");
        });
    }

    @Test
    void whenMvxCodeSystemSearchedByUrlThenEveryManufacturerIsThere() {
        CodeSystem mvx = single(CodeSetResources.MVX, CodeSystem.class);

        assertThat(mvx.getConcept()).hasSize(codes.manufacturers().size());
        assertThat(mvx.getConcept()).anySatisfy(c -> assertThat(c.getCode()).isEqualTo("PMC"));
    }

    @Test
    void whenVaccineGroupMapTranslatedThenCombinationGivesEveryGroup() {
        single(CodeSetResources.CVX_TO_VACCINE_GROUP, ConceptMap.class);

        Parameters result = fhir.operation().onType(ConceptMap.class).named("$translate")
                .withParameter(Parameters.class, "url", new UriType(CodeSetResources.CVX_TO_VACCINE_GROUP))
                .andParameter("system", new UriType(CodeSetResources.CVX))
                .andParameter("code", new CodeType("94"))
                .useHttpGet().execute();

        assertThat(result.getParameterBool("result")).isTrue();
        assertThat(result.getParameter().stream().filter(p -> p.getName().equals("match"))
                .flatMap(p -> p.getPart().stream()).filter(p -> p.getName().equals("concept"))
                .map(p -> p.getValue().primitiveValue()).toList()).isNotEmpty();
        assertThat(fhir.getFhirContext().newJsonParser().encodeResourceToString(result))
                .contains("\"display\":\"MMR\"").contains("\"display\":\"VARICELLA\"");
    }

    @Test
    void whenNdcMapSearchedThenItLinksNdcToCvx() {
        ConceptMap ndc = single(CodeSetResources.NDC_TO_CVX, ConceptMap.class);

        assertThat(ndc.getGroupFirstRep().getElement()).hasSize(codes.ndcProducts().size());
        assertThat(ndc.getGroupFirstRep().getElement()).anySatisfy(element -> {
            assertThat(element.getCode()).isEqualTo("80631020701");
            assertThat(element.getTargetFirstRep().getCode()).isEqualTo("313");
        });
    }

    private <T extends org.hl7.fhir.r4.model.MetadataResource> T single(String url, Class<T> type) {
        Bundle bundle = fhir.search().forResource(type).where(CodeSystem.URL.matches().value(url))
                .returnBundle(Bundle.class).execute();
        assertThat(bundle.getTotal()).isEqualTo(1);
        return type.cast(bundle.getEntryFirstRep().getResource());
    }
}
