package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.izfhir.auth.ScopeInterceptor.Need;
import org.izfhir.auth.SmartScopes.Permission;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.izfhir.fhir.FhirInterceptor;
import org.izfhir.fhir.FhirServerProperties;
import org.springframework.stereotype.Component;

/**
 * The FHIR operations this server offers, each with the permissions it needs. An operation that
 * is not here is refused to every token, however wide its scopes: among them the JPA store's
 * housekeeping ({@code $expunge}, {@code $reindex}, {@code $hapi.fhir.merge}, {@code $meta-add},
 * ...), which HAPI mounts but which is not part of this server's API. Keys are
 * {@code Type/$name} for type and instance operations and {@code $name} for server operations.
 */
@Component
public class OfferedOperations implements FhirInterceptor {

    private static final List<Need> READ_RECORD = FhirServerProperties.RECORD_TYPES.stream()
            .map(type -> new Need(type, Permission.READ)).toList();

    static final Map<String, List<Need>> NEEDS = Map.ofEntries(
            // the whole consolidated record of one person, and proof of it: a SMART Health Card, its QR
            // code, the official record as a PDF
            Map.entry("Patient/$everything", READ_RECORD),
            Map.entry("Patient/$health-cards-issue", READ_RECORD),
            Map.entry("Patient/$health-card-qr", READ_RECORD),
            Map.entry("Patient/$official-record", READ_RECORD),
            // finds people: a search of Patient
            Map.entry("Patient/$match", List.of(new Need("Patient", Permission.SEARCH))),
            // forecasts what the request carries; reads nothing stored, asks no registry
            Map.entry("$immds-forecast", List.of(new Need("ImmunizationRecommendation", Permission.READ))),
            // a submitter's deliveries counted by registry, outcome and error code
            Map.entry("Task/$delivery-report", List.of(new Need("Task", Permission.SEARCH))),
            // terminology services on the published code sets
            Map.entry("CodeSystem/$lookup", List.of(new Need("CodeSystem", Permission.READ))),
            Map.entry("CodeSystem/$validate-code", List.of(new Need("CodeSystem", Permission.READ))),
            Map.entry("CodeSystem/$subsumes", List.of(new Need("CodeSystem", Permission.READ))),
            Map.entry("ConceptMap/$translate", List.of(new Need("ConceptMap", Permission.READ))));

    /** The capability statement lists the operations offered, not every one HAPI mounts. */
    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void listOffered(IBaseConformance statement) {
        if (statement instanceof CapabilityStatement capabilities) {
            for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
                rest.getOperation().removeIf(op -> !NEEDS.containsKey(key(null, "$" + strip(op.getName()))));
                for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                    resource.getOperation().removeIf(op -> !NEEDS.containsKey(key(resource.getType(), "$" + strip(op.getName()))));
                }
            }
        }
    }

    private static String strip(String name) {
        return name.startsWith("$") ? name.substring(1) : name;
    }

    /** The key of an operation of a type (null for a server operation). */
    static String key(String type, String operation) {
        return type == null ? operation : type + "/" + operation;
    }

    /** What an operation needs; empty when it is not offered. */
    static Optional<List<Need>> needs(String type, String operation) {
        return Optional.ofNullable(NEEDS.get(key(type, operation)));
    }
}
