package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.izfhir.IzFhirServerTest;
import org.izfhir.fhir.FhirServer;
import org.izfhir.fhir.FhirTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every operation the FHIR server mounts, HAPI's built-ins included, is either offered with the
 * permissions it needs ({@link OfferedOperations}) or listed here as refused, with why. An
 * operation that appears without an entry (a new provider, a HAPI upgrade) fails this test.
 */
@IzFhirServerTest
class OfferedOperationsIT {

    /** Operations HAPI's JPA store mounts that the public API refuses to every token. */
    // The JPA store's system provider ($get-resource-counts, the reindexing passes) is not mounted: a transaction
    // submits doses, and the rest is housekeeping.
    static final Map<String, String> REFUSED = new TreeMap<>(Map.ofEntries(
            Map.entry("$expunge", "deletes history for good: store housekeeping"),
            Map.entry("$meta", "lists every tag in use"),
            Map.entry("$meta-add", "writes tags outside the API's interactions"),
            Map.entry("$meta-delete", "writes tags outside the API's interactions"),
            Map.entry("$validate", "validation against the store is not part of the API"),
            Map.entry("$hapi.fhir.merge", "merges two resources of the store"),
            Map.entry("$hapi.fhir.undo-merge", "store housekeeping")));

    @LocalServerPort
    int port;

    @Autowired
    FhirServer server;

    private FhirTestClient http;

    @BeforeEach
    void connect() {
        http = new FhirTestClient(port).anonymous();
    }

    /** Every mounted operation as {@code Type/$name}, {@code $name} at server level, with the levels it answers at. */
    private Map<String, OperationMethodBinding> mounted() {
        Map<String, OperationMethodBinding> operations = new TreeMap<>();
        server.getResourceBindings().forEach(binding -> binding.getMethodBindings().stream()
                .filter(OperationMethodBinding.class::isInstance).map(OperationMethodBinding.class::cast)
                .forEach(op -> operations.put(OfferedOperations.key(binding.getResourceName(), op.getName()), op)));
        for (BaseMethodBinding method : server.getServerBindings()) {
            if (method instanceof OperationMethodBinding op) {
                operations.put(OfferedOperations.key(null, op.getName()), op);
            }
        }
        return operations;
    }

    private static String refusedKey(String key) {
        String name = key.substring(key.indexOf('$'));
        return REFUSED.containsKey(key) ? key : name;
    }

    @Test
    void whenTheServerMountsAnOperationThenItIsEitherOfferedWithItsPermissionsOrRefusedWithAReason() {
        Map<String, OperationMethodBinding> mounted = mounted();
        System.out.println("mounted operations: " + mounted.keySet());

        assertThat(mounted.keySet()).allSatisfy(key -> assertThat(OfferedOperations.NEEDS.containsKey(key)
                || REFUSED.containsKey(refusedKey(key))).as("%s has no entry: offer it in OfferedOperations with"
                + " the permissions it needs, or list it here as refused", key).isTrue());
        assertThat(mounted.keySet()).as("every offered operation is mounted").containsAll(OfferedOperations.NEEDS.keySet());
        assertThat(REFUSED.keySet()).as("every refused operation is mounted").allSatisfy(name -> assertThat(mounted.keySet())
                .anyMatch(key -> key.endsWith(name)));
    }

    @Test
    void whenTheCapabilityStatementIsReadThenItListsTheOfferedOperationsOnly() {
        org.hl7.fhir.r4.model.CapabilityStatement capabilities = http.parse(http.get("metadata"),
                org.hl7.fhir.r4.model.CapabilityStatement.class);
        java.util.Set<String> listed = new java.util.TreeSet<>();
        capabilities.getRestFirstRep().getOperation().forEach(op -> listed.add("$" + op.getName()));
        capabilities.getRestFirstRep().getResource().forEach(resource -> resource.getOperation()
                .forEach(op -> listed.add(resource.getType() + "/$" + op.getName())));

        assertThat(listed).isEqualTo(new java.util.TreeSet<>(OfferedOperations.NEEDS.keySet()));
    }

    @Test
    void whenAnyTokenAsksForARefusedOperationThenForbidden() {
        String everything = http.adminToken();
        mounted().forEach((key, op) -> {
            if (OfferedOperations.NEEDS.containsKey(key)) {
                return;
            }
            HttpResponse<String> answer = http.post(path(key, op), "application/fhir+json",
                    "{\"resourceType\":\"Parameters\"}", "Authorization", "Bearer " + everything);
            assertThat(answer.statusCode()).as(key + ": " + answer.body()).isEqualTo(403);
            assertThat(answer.body()).contains("does not offer the operation");
        });
    }

    @Test
    void whenATokenLacksAnOfferedOperationsPermissionThenForbiddenNamingIt() {
        Map<String, OperationMethodBinding> mounted = mounted();
        OfferedOperations.NEEDS.forEach((key, needs) -> {
            String lacking = http.tokenFor("test-organizations", "system/Organization.rs");
            HttpResponse<String> refused = http.post(path(key, mounted.get(key)), "application/fhir+json",
                    "{\"resourceType\":\"Parameters\"}", "Authorization", "Bearer " + lacking);
            assertThat(refused.statusCode()).as(key).isEqualTo(403);
            assertThat(refused.body()).as(key).contains(needs.get(0).toString());

            String enough = http.tokenFor("test-narrow-scopes", needs.stream().map(n -> "system/" + n.type() + "." + n.permission().letter())
                    .distinct().collect(Collectors.joining(" ")));
            HttpResponse<String> allowed = http.post(path(key, mounted.get(key)), "application/fhir+json",
                    "{\"resourceType\":\"Parameters\"}", "Authorization", "Bearer " + enough);
            assertThat(allowed.statusCode()).as(key + " with " + needs + ": " + allowed.body()).isNotEqualTo(403);
        });
    }

    /** A URL that reaches the operation at a level it answers at. */
    private static String path(String key, OperationMethodBinding op) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return key;
        }
        String type = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return op.isCanOperateAtTypeLevel() ? type + "/" + name : type + "/x/" + name;
    }
}
