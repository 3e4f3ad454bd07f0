package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.izfhir.auth.SmartScopes.Context;
import org.izfhir.auth.SmartScopes.Permission;
import org.izfhir.fhir.FhirInterceptor;
import org.izfhir.fhir.FhirServerProperties;
import org.izfhir.fhir.record.RecordAccess;
import org.izfhir.fhir.submit.SubmissionEndpoint;
import org.izfhir.record.PatientAccess;
import org.springframework.stereotype.Component;

/**
 * Checks every FHIR request against the token's scopes once HAPI knows what the request is, and
 * before its handler runs: a request the scopes do not allow never reaches a registry. Each
 * request needs a permission per resource type it touches: the type itself, a chain's target
 * ({@code Immunization?patient.family=} reads Patient), each {@code _include} and
 * {@code _revinclude}, and for {@code Patient/$everything} every type of the record.
 *
 * <p>A token naming a patient (a SMART launch's {@code patient} claim) is checked against its
 * {@code patient/} scopes only, after {@link PatientBoundary} has kept its requests to that
 * patient's record. Other tokens need {@code system/} scopes; {@code user/} scopes are refused.
 * Operations are allowed by name ({@link OfferedOperations}). A request let through carries whose
 * records it may reach ({@link RecordAccess#grant}), which the record layer enforces again.
 */
@Component
public class ScopeInterceptor implements FhirInterceptor {

    /** One permission a request needs. */
    record Need(String type, Permission permission) {
        @Override
        public String toString() {
            return type + "." + permission.letter();
        }
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        List<Need> needs = needs(request, operation);
        if (needs.isEmpty()) {
            return;
        }
        Caller caller = Caller.current().orElseThrow(() -> new ForbiddenOperationException("This request needs an access token"));
        SmartScopes scopes = SmartScopes.of(scopeClaim(caller.token().getClaims().get("scope")));
        Context context = caller.inPatientContext() ? Context.PATIENT
                : scopes.contexts().contains(Context.SYSTEM) ? Context.SYSTEM : null;
        if (context == null) {
            // user/ scopes would mean "whatever the user may see", which for an account is its
            // linked people: served as patient context (launch/patient), not as a wider grant
            throw new ForbiddenOperationException(scopes.contexts().contains(Context.PATIENT)
                    ? "The token has patient scopes but no patient: ask for launch/patient and choose one"
                    : scopes.contexts().contains(Context.USER)
                    ? "user/ scopes are not served: apps ask for patient/ scopes with launch/patient,"
                            + " backend services for system/ scopes"
                    : "The token grants no resource scope (such as system/Immunization.rs)");
        }
        if (context == Context.PATIENT) {
            PatientBoundary.check(request, operation, caller.patient());
        }
        List<Need> missing = needs.stream().filter(n -> !scopes.grants(context, n.type(), n.permission())).toList();
        if (!missing.isEmpty()) {
            throw new ForbiddenOperationException("The token's scopes do not allow " + missing.stream()
                    .map(n -> context.name().toLowerCase(java.util.Locale.ROOT) + "/" + n).distinct().toList()
                    + ", which this request needs");
        }
        RecordAccess.grant(request, context == Context.PATIENT ? PatientAccess.only(caller.patient())
                : PatientAccess.everyone());
        if (context == Context.SYSTEM) {
            SubmissionEndpoint.grant(request, caller.client());
        }
    }

    /**
     * What a request needs; nothing for the capability statement and the next page of a search
     * (bound to its searcher by {@link PageBinding}). An operation not offered is refused here.
     */
    static List<Need> needs(RequestDetails request, RestOperationTypeEnum operation) {
        String type = request.getResourceName() == null ? "*" : request.getResourceName();
        List<Need> needs = new ArrayList<>();
        switch (operation) {
            case METADATA, GET_PAGE -> {
                return List.of();
            }
            case READ, VREAD, HISTORY_INSTANCE -> needs.add(new Need(type, Permission.READ));
            case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM -> {
                needs.add(new Need(type, Permission.SEARCH));
                needs.addAll(searchNeeds(request.getParameters()));
            }
            case CREATE -> needs.add(new Need(type, Permission.CREATE));
            // a transaction submits doses: its Patient, Location and Organization entries are their context
            case TRANSACTION -> needs.add(new Need("Immunization", Permission.CREATE));
            case UPDATE, PATCH -> needs.add(new Need(type, Permission.UPDATE));
            case DELETE -> needs.add(new Need(type, Permission.DELETE));
            case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER -> needs.addAll(
                    OfferedOperations.needs(request.getResourceName(), request.getOperation()).orElseThrow(() ->
                            new ForbiddenOperationException("This server does not offer the operation "
                                    + OfferedOperations.key(request.getResourceName(), request.getOperation()))));
            default -> { // transactions, batches, anything else: everything may be touched
                for (Permission p : Permission.values()) {
                    needs.add(new Need("*", p));
                }
            }
        }
        return needs;
    }
    /** A chain reads its target; an include reads what it includes; a revinclude searches what points back. */
    private static List<Need> searchNeeds(Map<String, String[]> parameters) {
        List<Need> needs = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            int dot = name.indexOf('.');
            if (dot > 0 && !name.startsWith("_")) {
                needs.add(new Need(referenceTarget(name.substring(0, dot).split(":")), Permission.SEARCH));
            }
            if (name.startsWith("_include") || name.startsWith("_revinclude")) {
                boolean reverse = name.startsWith("_revinclude");
                for (String value : parameter.getValue()) {
                    String[] parts = value.split(":");
                    if (reverse) {
                        needs.add(new Need(parts[0].equals("*") ? "*" : parts[0], Permission.SEARCH));
                    } else {
                        needs.add(new Need(parts.length > 2 ? parts[2]
                                : referenceTarget(Arrays.copyOfRange(parts, Math.min(1, parts.length), parts.length)),
                                Permission.READ));
                    }
                }
            }
        }
        return needs;
    }

    /** The type a reference parameter points to: given ({@code subject:Patient}), known (patient), or any. */
    private static String referenceTarget(String[] nameAndType) {
        if (nameAndType.length > 1) {
            return nameAndType[1];
        }
        String name = nameAndType.length == 0 ? "" : nameAndType[0];
        return name.equals("patient") || name.equals("subject") ? "Patient" : "*";
    }

    private static Collection<String> scopeClaim(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return claim == null ? List.of() : Arrays.asList(String.valueOf(claim).split(" "));
    }
}
