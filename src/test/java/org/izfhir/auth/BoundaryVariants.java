package org.izfhir.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Request variants an attacker holding a patient-context token for A would try to reach B's
 * record: the cross product of the record types (and AuditEvent), the interactions (read, vread,
 * search by GET and by POST, includes, {@code $everything} and other operations, pages), every
 * form of a reference to B (relative, absolute, versioned, {@code _history}, URN, contained,
 * modifiers, OR lists, repeated parameters, {@code _id} lists, chains) and the encodings.
 */
final class BoundaryVariants {

    /** One request: method, path below {@code /fhir/} with its query, an optional form body, an Accept header. */
    record Variant(String method, String path, String form, String accept) {
        @Override
        public String toString() {
            return method + " " + path + (form == null ? "" : " [" + form + "]") + (accept == null ? "" : " Accept: " + accept);
        }
    }

    static final List<String> TYPES = List.of("Patient", "Immunization", "ImmunizationRecommendation",
            "ImmunizationEvaluation", "Provenance", "AuditEvent");
    private static final List<String> OPERATIONS = List.of("$everything", "$match", "$meta", "$validate", "$expunge",
            "$hapi.fhir.merge", "$hapi.fhir.replace-references", "$hapi.fhir.undo-merge",
            "$hapi.fhir.undo-replace-references", "$reindex", "$meta-add", "$diff", "$graphql", "$immds-forecast",
            "$health-cards-issue", "$health-card-qr", "$official-record");
    private static final List<String> ENCODINGS = List.of("", "_format=json", "_format=xml", "_format=application/fhir+xml",
            "_pretty=true", "_summary=true", "_elements=id");

    private final String a;
    private final String b;
    private final String base;
    private final List<String> bResourceIds;
    private final List<String> pageIds;

    /**
     * @param bResourceIds ids of B's resources, as {@code Type/id}
     * @param pageIds      page ids of searches of B made by someone else
     */
    BoundaryVariants(String a, String b, String base, List<String> bResourceIds, List<String> pageIds) {
        this.a = a;
        this.b = b;
        this.base = base;
        this.bResourceIds = bResourceIds;
        this.pageIds = pageIds;
    }

    /** The forms of a reference that might reach B (and some that name A in a form the server must not trust). */
    List<String> referenceForms() {
        return List.of(b, "Patient/" + b, base + "/Patient/" + b, "Patient/" + b + "/_history/" + a,
                "Patient/" + b + "/_history/1", base + "/Patient/" + b + "/_history/" + a, b + "/_history/" + a,
                "http://elsewhere.example/fhir/Patient/" + b, "http://elsewhere.example/fhir/Patient/" + a,
                "urn:uuid:" + b, "urn:oid:" + b, "#" + b, "Patient/" + a + "," + "Patient/" + b, b + "," + a,
                a + "\\," + b, "Patient/" + a + "/../" + b, "Patient/" + b + "?x=" + a, "patient/" + b,
                "Immunization/" + b, "Patient/" + b + "-x", b + "-x/" + a, "Patient/" + b + "/" + a, " " + b,
                b + " ", "Patient//" + b, "Patient/" + a + "/_history/" + b, "Group/" + a, a + "/" + b);
    }

    /** The names under which a patient might be passed. */
    private static List<String> parameterNames() {
        return List.of("patient", "patient:Patient", "patient:missing", "patient:not", "patient:identifier",
                "patient:above", "patient:below", "patient._id", "patient:Patient._id", "patient.identifier",
                "subject", "subject:Patient", "_id", "_id:not", "_has:Immunization:patient:_id", "target", "agent",
                "patient.link", "_content", "_list", "_text");
    }

    /** Every variant, or (quick) a deterministic sample that still covers each dimension's every value. */
    List<Variant> all(boolean full) {
        Set<Variant> variants = new LinkedHashSet<>();
        int[] turn = {0};
        java.util.function.Supplier<String> encoding = () -> ENCODINGS.get(turn[0]++ % ENCODINGS.size());
        for (String type : TYPES) {
            reads(type, variants, full, encoding);
            searches(type, variants, full, encoding);
            operations(type, variants);
        }
        pages(variants);
        others(variants);
        return new ArrayList<>(variants);
    }

    private void reads(String type, Set<Variant> variants, boolean full, java.util.function.Supplier<String> encoding) {
        List<String> ids = new ArrayList<>(List.of(b, b + "-1", b + "-x", b + "/_history/" + a, b + "/_history/1"));
        bResourceIds.stream().filter(id -> id.startsWith(type + "/")).map(id -> id.substring(type.length() + 1))
                .forEach(ids::add);
        for (String id : ids) {
            for (String suffix : List.of("", "/_history/" + a, "/_history", "/$everything", "/$meta")) {
                String path = type + "/" + id + suffix;
                for (String enc : full ? ENCODINGS : List.of(encoding.get())) {
                    variants.add(get(path, enc));
                }
                variants.add(new Variant("GET", path, null, "application/fhir+xml"));
            }
        }
    }

    private void searches(String type, Set<Variant> variants, boolean full, java.util.function.Supplier<String> encoding) {
        List<String> extras = List.of("", "_include=" + type + ":patient", "_include=*", "_revinclude=Provenance:target",
                "_revinclude=*", "_include:iterate=*", "_count=1", "_sort=-date", "_total=accurate");
        int i = 0;
        for (String name : parameterNames()) {
            for (String value : referenceForms()) {
                String query = encode(name) + "=" + encode(value);
                List<String> shapes = full ? extras : List.of(extras.get(i++ % extras.size()));
                for (String extra : shapes) {
                    String q = join(query, extra);
                    String enc = encoding.get();
                    variants.add(get(type + "?" + join(q, enc), ""));
                    variants.add(new Variant("POST", type + "/_search" + (enc.isEmpty() ? "" : "?" + enc), q, null));
                }
            }
        }
        // A's own reference beside B's: repeated (AND), OR lists, _id lists, and another parameter naming B
        for (String own : List.of(a, "Patient/" + a)) {
            for (String other : List.of(b, "Patient/" + b, "Patient/" + b + "/_history/" + a)) {
                for (String combined : List.of("patient=" + encode(own) + "&patient=" + encode(other),
                        "patient=" + encode(other) + "&patient=" + encode(own),
                        "patient=" + encode(own + "," + other), "_id=" + encode(a + "," + b), "_id=" + encode(b),
                        "_id=" + a + "&_id=" + b, "_id=" + encode(b + "-x/" + a), "patient=" + encode(own) + "&_id=" + encode(b),
                        "patient=" + encode(own) + "&subject=" + encode(other),
                        "patient=" + encode(own) + "&patient.family=Chen&patient.given=Mia",
                        "patient.family=Chen&patient.given=Mia&patient.birthdate=2023-05-10",
                        "family=Chen&given=Mia&birthdate=2023-05-10", "_id=" + b + "&family=Chen")) {
                    variants.add(get(type + "?" + combined, ""));
                    variants.add(new Variant("POST", type + "/_search", combined, null));
                    variants.add(new Variant("POST", type + "/_search?patient=" + encode(own), combined, null));
                }
            }
        }
    }

    private void operations(String type, Set<Variant> variants) {
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"patient\",\"valueString\":\"Patient/"
                + b + "\"}]}";
        for (String operation : OPERATIONS) {
            for (String path : List.of(type + "/" + operation, type + "/" + b + "/" + operation,
                    type + "/" + a + "/" + operation + "?patient=" + b, operation + "?patient=" + b)) {
                variants.add(get(path, ""));
                variants.add(new Variant("POST", path, parameters, null));
            }
        }
        variants.add(get(type + "/" + b + "/Immunization", ""));
        variants.add(get("Patient/" + b + "/" + type, ""));
        variants.add(get(type + "/_history", ""));
        variants.add(get(type + "/" + b + "/_history", ""));
    }

    private void pages(Set<Variant> variants) {
        for (String page : pageIds) {
            for (String extra : List.of("", "_getpagesoffset=0&_count=50", "_getpagesoffset=2", "_format=xml",
                    "_bundletype=searchset", "patient=" + a)) {
                variants.add(get("?" + join("_getpages=" + encode(page), extra), ""));
                variants.add(get("Immunization?" + join("_getpages=" + encode(page), extra), ""));
            }
        }
        variants.add(get("?_getpages=" + encode("record-" + java.util.UUID.randomUUID()), ""));
    }

    private void others(Set<Variant> variants) {
        variants.add(get("", ""));
        variants.add(get("_history", ""));
        variants.add(get("?_type=Immunization&patient=" + b, ""));
        variants.add(get("_search?patient=" + b, ""));
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\","
                + "\"url\":\"Immunization?patient=" + b + "\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + b + "\"}}]}";
        variants.add(new Variant("POST", "", batch, null));
        variants.add(new Variant("POST", "", batch.replace("batch", "transaction"), null));
        // submissions: a dose for B, by every write a backend service may make, and their Tasks
        String dose = "{\"resourceType\":\"Immunization\",\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{"
                + "\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"08\"}]},\"occurrenceDateTime\":\"2024-01-02\","
                + "\"patient\":{\"reference\":\"Patient/" + b + "\"}}";
        variants.add(new Variant("POST", "Immunization", dose, null));
        variants.add(new Variant("PUT", "Immunization/sub-" + b, dose, null));
        variants.add(new Variant("DELETE", "Immunization/sub-" + b, null, null));
        variants.add(new Variant("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{"
                + "\"resource\":" + dose + ",\"request\":{\"method\":\"POST\",\"url\":\"Immunization\"}}]}", null));
        for (String task : List.of("Task", "Task?focus=Immunization/sub-" + b, "Task/" + b, "Immunization/sub-" + b)) {
            variants.add(get(task, ""));
        }
    }

    private static Variant get(String pathAndQuery, String encoding) {
        if (encoding.isEmpty()) {
            return new Variant("GET", pathAndQuery, null, null);
        }
        return new Variant("GET", pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + encoding, null, null);
    }

    private static String join(String query, String extra) {
        return extra.isEmpty() ? query : query.isEmpty() ? extra : query + "&" + extra;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
