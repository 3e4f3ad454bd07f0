package org.izfhir.fhir.terminology;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StringType;
import org.izfhir.codes.CodeStatus;
import org.izfhir.codes.Codes;
import org.izfhir.codes.NdcProduct;
import org.izfhir.codes.VaccineGroup;

/**
 * The code sets as FHIR terminology resources: CodeSystem CVX and MVX, ConceptMap CVX to vaccine
 * group and NDC to CVX. Pure: the same {@link Codes} always gives the same resources, so
 * publishing them again after a restart changes nothing in the store.
 */
public final class CodeSetResources {

    public static final String CVX = "http://hl7.org/fhir/sid/cvx";
    public static final String MVX = "http://hl7.org/fhir/sid/mvx";
    public static final String NDC = "http://hl7.org/fhir/sid/ndc";
    public static final String CANONICAL_BASE = "http://izfhir.org/fhir";
    public static final String CVX_TO_VACCINE_GROUP = CANONICAL_BASE + "/ConceptMap/cvx-to-vaccine-group";
    public static final String NDC_TO_CVX = CANONICAL_BASE + "/ConceptMap/ndc-to-cvx";

    private static final String PUBLISHER = "Centers for Disease Control and Prevention (data); IZ FHIR Server (packaging)";

    private CodeSetResources() {
    }

    /** Every resource to publish, each with a stable id. */
    public static List<MetadataResource> all(Codes codes) {
        return List.of(cvx(codes), mvx(codes), cvxToVaccineGroup(codes), ndcToCvx(codes));
    }

    static CodeSystem cvx(Codes codes) {
        CodeSystem system = codeSystem("cvx", CVX, "CVX", "CDC CVX: vaccines administered",
                codes.cvxVersion().orElse(null), codes.vaccines().size());
        codes.vaccines().forEach(vaccine -> {
            ConceptDefinitionComponent concept = system.addConcept()
                    .setCode(vaccine.cvx()).setDisplay(vaccine.shortName()).setDefinition(vaccine.fullName());
            addProperties(concept, vaccine.status(), vaccine.lastUpdated(), vaccine.notes());
        });
        return system;
    }

    static CodeSystem mvx(Codes codes) {
        CodeSystem system = codeSystem("mvx", MVX, "MVX", "CDC MVX: vaccine manufacturers",
                codes.mvxVersion().orElse(null), codes.manufacturers().size());
        codes.manufacturers().forEach(manufacturer -> {
            ConceptDefinitionComponent concept = system.addConcept()
                    .setCode(manufacturer.mvx()).setDisplay(manufacturer.name());
            addProperties(concept, manufacturer.status(), manufacturer.lastUpdated(), manufacturer.notes());
        });
        return system;
    }

    static ConceptMap cvxToVaccineGroup(Codes codes) {
        ConceptMap map = conceptMap("cvx-to-vaccine-group", CVX_TO_VACCINE_GROUP, "CvxToVaccineGroup",
                "CDC CVX to vaccine group", codes.cvxVersion().orElse(null));
        ConceptMapGroupComponent group = map.addGroup().setSource(CVX).setTarget(CVX);
        for (Map.Entry<String, List<VaccineGroup>> entry : codes.vaccineGroupsByCvx().entrySet()) {
            SourceElementComponent element = group.addElement().setCode(entry.getKey());
            codes.vaccine(entry.getKey()).ifPresent(vaccine -> element.setDisplay(vaccine.shortName()));
            for (VaccineGroup vaccineGroup : entry.getValue()) {
                element.addTarget().setCode(vaccineGroup.cvx()).setDisplay(vaccineGroup.name())
                        .setEquivalence(vaccineGroup.cvx().equals(entry.getKey())
                                ? ConceptMapEquivalence.EQUIVALENT : ConceptMapEquivalence.WIDER);
            }
        }
        return map;
    }

    static ConceptMap ndcToCvx(Codes codes) {
        ConceptMap map = conceptMap("ndc-to-cvx", NDC_TO_CVX, "NdcToCvx", "CDC NDC to CVX",
                codes.cvxVersion().orElse(null));
        ConceptMapGroupComponent group = map.addGroup().setSource(NDC).setTarget(CVX);
        for (NdcProduct product : codes.ndcProducts()) {
            SourceElementComponent element = group.addElement().setCode(product.ndc()).setDisplay(product.productName());
            element.addTarget().setCode(product.cvx())
                    .setDisplay(codes.vaccine(product.cvx()).map(v -> v.shortName()).orElse(null))
                    .setEquivalence(ConceptMapEquivalence.WIDER)
                    .setComment(product.packaging() == NdcProduct.Packaging.UNIT_OF_USE ? "unit of use" : "unit of sale");
        }
        return map;
    }

    private static CodeSystem codeSystem(String id, String url, String name, String title, LocalDate version, int count) {
        CodeSystem system = new CodeSystem();
        system.setId(id);
        system.setUrl(url);
        system.setName(name);
        system.setTitle(title);
        system.setStatus(PublicationStatus.ACTIVE);
        system.setPublisher(PUBLISHER);
        system.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        system.setCaseSensitive(false);
        system.setCount(count);
        if (version != null) {
            system.setVersion(version.toString());
            system.setDate(toDate(version));
        }
        system.addProperty().setCode("status").setType(PropertyType.CODE)
                .setDescription("CDC status: active, inactive, never-active, non-us");
        system.addProperty().setCode("inactive").setUri("http://hl7.org/fhir/concept-properties#inactive")
                .setType(PropertyType.BOOLEAN).setDescription("True when the code may no longer be used for new records");
        system.addProperty().setCode("lastUpdated").setType(PropertyType.DATETIME)
                .setDescription("When CDC last changed the entry");
        system.addProperty().setCode("notes").setType(PropertyType.STRING).setDescription("CDC's notes");
        return system;
    }

    private static ConceptMap conceptMap(String id, String url, String name, String title, LocalDate version) {
        ConceptMap map = new ConceptMap();
        map.setId(id);
        map.setUrl(url);
        map.setName(name);
        map.setTitle(title);
        map.setStatus(PublicationStatus.ACTIVE);
        map.setPublisher(PUBLISHER);
        if (version != null) {
            map.setVersion(version.toString());
            map.setDate(toDate(version));
        }
        return map;
    }

    private static void addProperties(ConceptDefinitionComponent concept, CodeStatus status, LocalDate lastUpdated,
                                      String notes) {
        concept.addProperty().setCode("status").setValue(new CodeType(status.code()));
        concept.addProperty().setCode("inactive").setValue(new BooleanType(!status.active()));
        if (lastUpdated != null) {
            concept.addProperty().setCode("lastUpdated").setValue(new DateTimeType(toDate(lastUpdated),
                    ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY));
        }
        if (!notes.isEmpty()) {
            concept.addProperty().setCode("notes").setValue(new StringType(notes));
        }
    }

    private static Date toDate(LocalDate date) {
        return Date.from(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
