package org.izfhir.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.izfhir.hl7.Hl7TestMessages.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.ResponseReader;
import org.junit.jupiter.api.Test;

/** A spliced searchset is, byte for byte, the one HAPI writes from the resources themselves. */
class PreEncodedJsonTest {

    private static final String BASE = "http://localhost:8080/fhir";
    private final FhirContext fhir = FhirContext.forR4Cached();

    @Test
    void whenEntriesAreSplicedThenTheBundleIsHapisOwn() throws IOException {
        RegistryResponse answer = new ResponseReader().read(ig("rsp-z42-evaluated-history-and-forecast"), "NJ");
        List<Resource> resources = new ArrayList<>();
        resources.add(answer.patient().addName(new HumanName().setFamily("Núñez \"Ñ\" \\ 😀").addGiven("José")));
        resources.addAll(answer.immunizations());
        resources.addAll(answer.evaluations());
        resources.add(answer.forecast());
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(resources.size());
        bundle.setId("b1");
        bundle.addLink().setRelation("self").setUrl(BASE + "/Immunization?patient=Patient/p1");
        int n = 0;
        for (Resource resource : resources) {
            resource.setId(resource.fhirType() + "/r" + ++n);
            bundle.addEntry().setFullUrl(BASE + "/" + resource.getId()).setResource(PreEncodedJson.mark(resource.copy(),
                    resource)).getSearch().setMode(n == 1 ? Bundle.SearchEntryMode.INCLUDE : Bundle.SearchEntryMode.MATCH);
        }
        bundle.getEntry().add(3, new Bundle.BundleEntryComponent()); // empty: HAPI leaves it out
        bundle.addEntry().setResource(new OperationOutcome().addIssue(new OperationOutcome.OperationOutcomeIssueComponent()
                .setDiagnostics("NJ answered: Núñez 😀"))).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME); // not marked
        bundle.addEntry().setResource(PreEncodedJson.mark(resources.get(1).copy(), resources.get(1))); // resource alone
        bundle.addEntry(); // empty, last
        IParser parser = fhir.newJsonParser();
        String whole = parser.encodeResourceToString(bundle);

        String[] texts = PreEncodedJson.take(bundle, parser::encodeResourceToString);
        StringWriter spliced = new StringWriter();
        PreEncodedJson.splice(parser.encodeResourceToString(bundle), texts, spliced);

        assertThat(texts).hasSize(12); // the entries HAPI writes: ten resources, the outcome, the resource alone
        assertThat(texts[10]).isNull(); // written by HAPI: not marked
        assertThat(texts[11]).isNull(); // written by HAPI: taking it would leave the entry empty
        assertThat(java.util.Arrays.copyOf(texts, 10)).doesNotContainNull();
        assertThat(spliced.toString()).isEqualTo(whole);
    }
}
