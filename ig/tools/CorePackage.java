import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Writes the FHIR package hl7.fhir.r4.core#4.0.1 (JSON, one file per resource, with its index)
 * from the R4 definitions HAPI FHIR ships on Maven Central (hapi-fhir-validation-resources-r4),
 * so that SUSHI finds FHIR R4 in its package cache without the FHIR package registry.
 * Run with the project's class path: java -cp CP ig/tools/CorePackage.java DESTINATION
 */
public final class CorePackage {

    private static final List<String> BUNDLES = List.of("profile/profiles-types.xml", "profile/profiles-resources.xml",
            "profile/profiles-others.xml", "extension/extension-definitions.xml", "valueset/valuesets.xml",
            "valueset/v3-codesystems.xml", "valueset/v2-tables.xml");

    public static void main(String[] args) throws Exception {
        Path folder = Files.createDirectories(Path.of(args[0]).resolve("package"));
        FhirContext fhir = FhirContext.forR4();
        IParser xml = fhir.newXmlParser();
        IParser json = fhir.newJsonParser();
        List<String> index = new ArrayList<>();
        int written = 0;
        for (String name : BUNDLES) {
            InputStream in = CorePackage.class.getClassLoader().getResourceAsStream("org/hl7/fhir/r4/model/" + name);
            if (in == null) {
                continue; // not every HAPI release ships every bundle
            }
            Bundle bundle = xml.parseResource(Bundle.class, new InputStreamReader(in, StandardCharsets.UTF_8));
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                if (resource == null || !resource.hasIdElement()) {
                    continue;
                }
                String file = resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
                Files.writeString(folder.resolve(file), json.encodeResourceToString(resource));
                index.add(indexEntry(file, resource));
                written++;
            }
        }
        Files.writeString(folder.resolve("package.json"), """
                {"name":"hl7.fhir.r4.core","version":"4.0.1","description":"FHIR R4 core definitions, from HAPI FHIR's \
                hapi-fhir-validation-resources-r4","fhirVersions":["4.0.1"],"type":"Core","canonical":"http://hl7.org/fhir",\
                "url":"http://hl7.org/fhir/R4","dependencies":{}}
                """);
        Files.writeString(folder.resolve(".index.json"), "{\"index-version\":1,\"files\":[" + String.join(",", index) + "]}");
        System.out.println("hl7.fhir.r4.core#4.0.1: " + written + " resources in " + folder);
    }

    private static String indexEntry(String file, Resource resource) {
        StringBuilder entry = new StringBuilder("{\"filename\":" + quote(file) + ",\"resourceType\":"
                + quote(resource.fhirType()) + ",\"id\":" + quote(resource.getIdElement().getIdPart()));
        if (resource instanceof MetadataResource metadata) {
            if (metadata.hasUrl()) {
                entry.append(",\"url\":").append(quote(metadata.getUrl()));
            }
            if (metadata.hasVersion()) {
                entry.append(",\"version\":").append(quote(metadata.getVersion()));
            }
        }
        if (resource instanceof StructureDefinition definition) {
            entry.append(",\"kind\":").append(quote(definition.getKind().toCode()))
                    .append(",\"type\":").append(quote(definition.getType()));
        }
        return entry.append('}').toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
