package org.izfhir.fhir.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartingEvent;

class StructureDefinitionPreloadTest {

    private final StructureDefinitionPreload preload = new StructureDefinitionPreload();

    @Test
    void theSearchParameterExtractorIsMadeOnceTheParseTheStartBeganHasEnded() {
        preload.onApplicationEvent(
                new ApplicationStartingEvent(new DefaultBootstrapContext(), new SpringApplication(), new String[0]));

        preload.postProcessBeforeInitialization(new SearchParamExtractorR4(), "searchParamExtractor");

        assertThat(StructureDefinitionPreload.parsed()).isTrue();
        // kept by HAPI for every validation support of R4: the base resources, data types and extensions
        assertThat(new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions())
                .hasSizeGreaterThan(600);
    }
}
