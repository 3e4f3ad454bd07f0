package org.izfhir.fhir.submit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.izfhir.submit.Delivery;
import org.izfhir.submit.DeliveryState;
import org.izfhir.submit.Outbox;
import org.springframework.stereotype.Component;

/**
 * Task: each delivery of a submitted dose to a registry, the client's own only. Searchable by the
 * dose ({@code focus}), the registry ({@code owner}, its id), {@code status},
 * {@code business-status} and {@code _lastUpdated}; {@code Task?status=requested,in-progress,failed}
 * finds every dose not (yet) delivered or rejected.
 */
@Component
public class TaskProvider implements IResourceProvider {

    private static final int MAX_COUNT = 1000;
    /** The most deliveries one report counts. */
    private static final int REPORT_LIMIT = 100_000;

    private final Outbox outbox;
    private final SubmissionEndpoint endpoint;

    TaskProvider(Outbox outbox, SubmissionEndpoint endpoint) {
        this.outbox = outbox;
        this.endpoint = endpoint;
    }

    @Override
    public Class<Task> getResourceType() {
        return Task.class;
    }

    @Read
    public Task read(@IdParam IdType id, RequestDetails request) {
        String submitter = SubmissionEndpoint.submitter(request);
        return outbox.delivery(id.getIdPart()).filter(d -> d.submitter().equals(submitter)).map(endpoint.views()::task)
                .orElseThrow(() -> new ResourceNotFoundException("Task/" + id.getIdPart()
                        + " is not a delivery of a dose this client submitted"));
    }

    @Search(allowUnknownParams = false)
    public List<Task> search(@OptionalParam(name = Task.SP_FOCUS) ReferenceOrListParam focus,
                             @OptionalParam(name = Task.SP_OWNER) ReferenceOrListParam owner,
                             @OptionalParam(name = Task.SP_STATUS) TokenOrListParam status,
                             @OptionalParam(name = "business-status") TokenOrListParam businessStatus,
                             @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
                             @Count Integer count,
                             RequestDetails request) {
        String submitter = SubmissionEndpoint.submitter(request);
        Set<DeliveryState> states = EnumSet.allOf(DeliveryState.class);
        if (status != null) {
            states.retainAll(byTaskStatus(status));
        }
        if (businessStatus != null) {
            states.retainAll(byCode(businessStatus));
        }
        int limit = count == null ? 100 : Math.max(0, Math.min(count, MAX_COUNT));
        List<Delivery> deliveries = outbox.deliveries(new Outbox.Filter(submitter, ids(focus, "Immunization"),
                ids(owner, null), states, lastUpdated == null ? null : instant(lastUpdated.getLowerBoundAsInstant()),
                lastUpdated == null ? null : instant(lastUpdated.getUpperBoundAsInstant()), MAX_COUNT));
        return deliveries.stream()
                .filter(d -> status == null || matchesStatus(status, d))
                .limit(limit).map(endpoint.views()::task).toList();
    }

    /**
     * {@code $delivery-report}: this client's deliveries over a period (default: the last 30 days),
     * counted by registry, outcome and error code; {@code format=csv} for CSV.
     */
    @Operation(name = "$delivery-report", type = Task.class, idempotent = true)
    public IBaseResource report(@OperationParam(name = "start", max = 1) DateTimeType start,
                                @OperationParam(name = "end", max = 1) DateTimeType end,
                                @OperationParam(name = "format", max = 1) StringType format,
                                RequestDetails request) {
        String submitter = SubmissionEndpoint.submitter(request);
        java.time.Instant to = end == null || end.getValue() == null ? java.time.Instant.now() : end.getValue().toInstant();
        java.time.Instant from = start == null || start.getValue() == null ? to.minus(java.time.Duration.ofDays(30))
                : start.getValue().toInstant();
        if (format != null && !"csv".equals(format.getValue())) {
            throw new InvalidRequestException("format is csv, or absent for FHIR Parameters");
        }
        DeliveryReport report = new DeliveryReport(outbox.deliveries(new Outbox.Filter(submitter, null, null, null, from, to,
                REPORT_LIMIT)));
        return format != null ? report.csv() : report.parameters(new Period().setStart(java.util.Date.from(from))
                .setEnd(java.util.Date.from(to)));
    }

    private static java.time.Instant instant(java.util.Date date) {
        return date == null ? null : date.toInstant();
    }

    /** The ids a reference search names: {@code Immunization/sub-1}, {@code sub-1}, a registry's {@code NJ}. */
    private static Collection<String> ids(ReferenceOrListParam references, String type) {
        if (references == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (ReferenceParam reference : references.getValuesAsQueryTokens()) {
            if (reference.getChain() != null && !reference.getChain().isEmpty()) {
                throw new InvalidRequestException("Task searches take no chains");
            }
            if (type != null && reference.getResourceType() != null && !type.equals(reference.getResourceType())) {
                throw new InvalidRequestException("A Task's focus is an Immunization, not a " + reference.getResourceType());
            }
            ids.add(reference.getIdPart());
        }
        return ids;
    }

    private static Set<DeliveryState> byTaskStatus(TokenOrListParam status) {
        Set<DeliveryState> states = EnumSet.noneOf(DeliveryState.class);
        for (TokenParam token : status.getValuesAsQueryTokens()) {
            for (DeliveryState state : DeliveryState.values()) {
                for (int attempts : new int[] {0, 1}) {
                    if (state.taskStatus(attempts).toCode().equals(token.getValue())) {
                        states.add(state);
                    }
                }
            }
        }
        return states;
    }

    /** Queued deliveries are {@code requested} before their first attempt and {@code in-progress} after. */
    private static boolean matchesStatus(TokenOrListParam status, Delivery delivery) {
        String code = delivery.state().taskStatus(delivery.attempts()).toCode();
        return status.getValuesAsQueryTokens().stream().anyMatch(token -> code.equals(token.getValue()));
    }

    private static Set<DeliveryState> byCode(TokenOrListParam codes) {
        Set<DeliveryState> states = EnumSet.noneOf(DeliveryState.class);
        for (TokenParam token : codes.getValuesAsQueryTokens()) {
            if (token.getSystem() != null && !token.getSystem().equals(DeliveryState.SYSTEM)) {
                continue;
            }
            for (DeliveryState state : DeliveryState.values()) {
                if (state.code().equals(token.getValue())) {
                    states.add(state);
                }
            }
        }
        return states;
    }
}
