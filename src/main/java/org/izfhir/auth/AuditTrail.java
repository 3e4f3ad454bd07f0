package org.izfhir.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.fhir.FhirInterceptor;
import org.izfhir.fhir.FhirServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every access to immunization records, as a FHIR AuditEvent following IHE Basic Audit Log
 * Patterns (BALP): a read is a PatientRead, a search a PatientQuery; with the client, the user
 * (for a launch), the token's {@code jti}, each patient whose record was touched, the query, and
 * the outcome (refusals included). Events go to the database ({@code izfhir_audit_event}, one
 * row per event, the AuditEvent as JSON), written in batches by one thread off the request path;
 * when that writer falls behind, the request writes its own event, so none is dropped. Audit
 * events hold what an audit must (the query, patient ids); they never go to the application log.
 */
@Component
public class AuditTrail implements FhirInterceptor {

    static final String BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String OTHER_ID = BALP + "ihe-otherId";
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final int BATCH = 500;

    private final AuthStore store;
    private final IParser json = FhirContext.forR4Cached().newJsonParser();
    private final BlockingQueue<AuthStore.AuditRow> queue = new LinkedBlockingQueue<>(20_000);
    private final Thread writer;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean running = true;

    AuditTrail(AuthStore store) {
        this.store = store;
        writer = new Thread(this::drain, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, ResponseDetails response) {
        record(request, response.getResponseResource(), AuditEvent.AuditEventOutcome._0);
    }

    /**
     * A request refused or failed: it names the patients asked for; an answer withheld by the
     * patient boundary ({@link PatientResponseCheck}) is a serious failure naming whose records it held.
     */
    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public void refused(RequestDetails request, BaseServerResponseException exception) {
        boolean breach = request.getUserData().get(PatientResponseCheck.BREACH) instanceof RecordOwners;
        record(request, null, breach || exception.getStatusCode() >= 500 ? AuditEvent.AuditEventOutcome._8
                : AuditEvent.AuditEventOutcome._4);
    }

    private void record(RequestDetails request, IBaseResource answer, AuditEvent.AuditEventOutcome outcome) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String type = request.getResourceName();
        if (operation == null || operation == RestOperationTypeEnum.METADATA
                || (type != null && !FhirServerProperties.RECORD_TYPES.contains(type))) {
            return; // not an access to a person's record
        }
        AuthStore.AuditRow row = row(event(request, operation, answer, outcome));
        recorded.incrementAndGet();
        if (!queue.offer(row)) {
            try {
                write(List.of(row)); // the writer is behind: this request writes its own
            } catch (RuntimeException e) {
                log.error("an audit event could not be written: {}", e.toString());
            }
        }
    }

    AuditEvent event(RequestDetails request, RestOperationTypeEnum operation, IBaseResource answer,
                     AuditEvent.AuditEventOutcome outcome) {
        boolean read = switch (operation) {
            case READ, VREAD, EXTENDED_OPERATION_INSTANCE -> true;
            default -> false;
        };
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(BALP + (read ? "IHE.BasicAudit.PatientRead" : "IHE.BasicAudit.PatientQuery"));
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", operation.getCode(), null));
        event.setAction(read ? AuditEvent.AuditEventAction.R : AuditEvent.AuditEventAction.E);
        event.setRecorded(new Date());
        event.setOutcome(outcome);
        event.getSource().setObserver(new Reference().setDisplay("IZ FHIR Server"))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        Caller.current().ifPresent(caller -> {
            AuditEvent.AuditEventAgentComponent app = event.addAgent().setRequestor(false)
                    .setType(new CodeableConcept(new Coding(DCM, "110150", "Application")))
                    .setWho(new Reference().setIdentifier(new Identifier().setValue(caller.client())));
            if (caller.token().getId() != null) {
                app.addExtension(OTHER_ID, new Identifier().setSystem("urn:ietf:params:oauth:jti").setValue(caller.token().getId()));
            }
            if (!caller.client().equals(caller.subject())) {
                event.addAgent().setRequestor(true)
                        .setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")))
                        .setWho(new Reference().setIdentifier(new Identifier().setValue(caller.subject())));
            } else {
                app.setRequestor(true);
            }
        });
        event.addAgent().setRequestor(false).setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")))
                .setWho(new Reference().setDisplay(request.getFhirServerBase()));
        for (String patient : patients(request, answer)) {
            event.addEntity().setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        if (!read) {
            String query = request.getCompleteUrl();
            int question = query.indexOf('?');
            event.addEntity().setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                    .setQuery(question < 0 ? new byte[0] : query.substring(question + 1).getBytes(StandardCharsets.UTF_8));
        }
        return event;
    }

    /**
     * The patients whose records the request touched: those of the answer, read from its
     * resources; for a refused request, those it asked for as its handler would have read them;
     * for an answer the patient boundary withheld, those it held.
     */
    private static Set<String> patients(RequestDetails request, IBaseResource answer) {
        if (request.getUserData().get(PatientResponseCheck.BREACH) instanceof RecordOwners withheld) {
            return withheld.patients();
        }
        return answer != null ? RecordOwners.ofAnswer(request, answer).patients() : PatientBoundary.requested(request);
    }

    private void drain() {
        List<AuthStore.AuditRow> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                AuthStore.AuditRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, BATCH - batch.size()));
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException e) {
                log.error("audit events could not be written ({} kept for the next try): {}", batch.size(), e.toString());
                sleep();
                continue;
            }
            batch.clear();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An event as its row, encoded on the request's thread: the writer only inserts. */
    private AuthStore.AuditRow row(AuditEvent event) {
        String client = event.getAgent().stream().filter(a -> a.getType().hasCoding(DCM, "110150"))
                .map(a -> a.getWho().getIdentifier().getValue()).findFirst().orElse(null);
        String patients = String.join(" ", event.getEntity().stream().filter(e -> e.getWhat().hasReference())
                .map(e -> e.getWhat().getReferenceElement().getIdPart()).toList());
        return new AuthStore.AuditRow(event.getRecorded().toInstant(), client, patients, event.getOutcome().toCode(),
                json.encodeResourceToString(event));
    }

    private void write(List<AuthStore.AuditRow> rows) {
        store.saveAuditEvents(rows);
        written.addAndGet(rows.size());
    }

    /** The audit events recorded since a time, oldest first (for operators and tests). */
    public List<AuditEvent> since(Instant from) {
        flush();
        return store.auditEventsSince(from).stream().map(text -> json.parseResource(AuditEvent.class, text)).toList();
    }

    /** Waits (up to 5 s) until the events recorded so far are written. */
    void flush() {
        long target = recorded.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (written.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
