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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.fhir.FhirInterceptor;
import org.izfhir.fhir.FhirServerProperties;
import org.izfhir.record.PersonRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
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
    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(20_000);
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

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public void refused(RequestDetails request, BaseServerResponseException exception) {
        record(request, null, exception.getStatusCode() < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
    }

    private void record(RequestDetails request, IBaseResource answer, AuditEvent.AuditEventOutcome outcome) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String type = request.getResourceName();
        if (operation == null || operation == RestOperationTypeEnum.METADATA
                || (type != null && !FhirServerProperties.RECORD_TYPES.contains(type))) {
            return; // not an access to a person's record
        }
        AuditEvent event = event(request, operation, answer, outcome);
        recorded.incrementAndGet();
        if (!queue.offer(event)) {
            try {
                write(List.of(event)); // the writer is behind: this request writes its own
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
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            // the authorization server's access tokens name their client as audience
            List<String> audience = token.getToken().getAudience();
            String client = audience == null || audience.isEmpty() ? "" : audience.get(0);
            AuditEvent.AuditEventAgentComponent app = event.addAgent().setRequestor(false)
                    .setType(new CodeableConcept(new Coding(DCM, "110150", "Application")))
                    .setWho(new Reference().setIdentifier(new Identifier().setValue(client)));
            if (token.getToken().getId() != null) {
                app.addExtension(OTHER_ID, new Identifier().setSystem("urn:ietf:params:oauth:jti").setValue(token.getToken().getId()));
            }
            if (!client.equals(token.getToken().getSubject())) {
                event.addAgent().setRequestor(true)
                        .setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")))
                        .setWho(new Reference().setIdentifier(new Identifier().setValue(token.getToken().getSubject())));
            } else {
                app.setRequestor(true);
            }
        }
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

    /** The patients whose records the request touched: named by it, or found by it. */
    private static Set<String> patients(RequestDetails request, IBaseResource answer) {
        Set<String> patients = new LinkedHashSet<>();
        if (request.getId() != null && request.getId().hasIdPart()) {
            PersonRecord.patientIdOf(request.getId().getIdPart()).ifPresent(patients::add);
        }
        String[] named = request.getParameters().get("patient");
        if (named != null) {
            for (String value : named) {
                for (String one : value.split(",")) {
                    patients.add(PatientNarrowing.idPart(one));
                }
            }
        }
        if (answer instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                if (resource instanceof Patient && resource.hasIdElement()) {
                    patients.add(resource.getIdElement().getIdPart());
                }
            }
        }
        return patients;
    }

    private void drain() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
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

    private void write(List<AuditEvent> events) {
        List<AuthStore.AuditRow> rows = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            String client = event.getAgent().stream().filter(a -> a.getType().hasCoding(DCM, "110150"))
                    .map(a -> a.getWho().getIdentifier().getValue()).findFirst().orElse(null);
            String patients = String.join(" ", event.getEntity().stream().filter(e -> e.getWhat().hasReference())
                    .map(e -> e.getWhat().getReferenceElement().getIdPart()).toList());
            rows.add(new AuthStore.AuditRow(event.getRecorded().toInstant(), client, patients, event.getOutcome().toCode(),
                    json.encodeResourceToString(event)));
        }
        store.saveAuditEvents(rows);
        written.addAndGet(events.size());
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
