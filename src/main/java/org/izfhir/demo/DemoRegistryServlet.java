package org.izfhir.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapFault;
import org.izfhir.registry.soap.SoapFormatException;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo registries' SOAP service at {@code /demo-registries/{id}/soap}: the CDC 2011 and 2014
 * services answer for registry {@code id}; the IZ Gateway hub service (any path, conventionally
 * {@code /demo-registries/hub/soap}) routes by {@code HubRequestHeader/DestinationId}. Answers
 * wait for the registry's latency knob without holding a server thread.
 */
@RestController
@Profile("demo")
class DemoRegistryEndpoint implements SmartLifecycle {

    private static final int MAX_REQUEST_BYTES = 1_000_000;
    private static final MediaType SOAP = MediaType.parseMediaType(SoapCodec.MEDIA_TYPE + ";charset=UTF-8");
    private static final byte[] OVERSIZE_HL7_PADDING = "OBX|1|ST|X^padding^L||".repeat(400_000).getBytes(StandardCharsets.US_ASCII);

    private final DemoRegistries registries;
    private final DemoProperties properties;
    /** Requests held by the NO_ANSWER knob: released when the server stops, so shutdown does not wait on them. */
    private final Set<CompletableFuture<ResponseEntity<byte[]>>> held = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    DemoRegistryEndpoint(DemoRegistries registries, DemoProperties properties) {
        this.registries = registries;
        this.properties = properties;
    }

    @PostMapping("/demo-registries/{path}/soap")
    CompletableFuture<ResponseEntity<byte[]>> call(@PathVariable String path, @RequestBody(required = false) byte[] body) {
        Answer answer = answer(path, body);
        if (answer.never()) { // held until the server's async timeout, or until it stops
            CompletableFuture<ResponseEntity<byte[]>> never = new CompletableFuture<>();
            held.add(never);
            never.whenComplete((response, error) -> held.remove(never));
            return never;
        }
        if (answer.latency().isZero()) {
            return CompletableFuture.completedFuture(answer.response());
        }
        return CompletableFuture.supplyAsync(answer::response,
                CompletableFuture.delayedExecutor(answer.latency().toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Stops before the web server's graceful shutdown (which would wait for held requests). */
    @Override
    public void stop() {
        running = false;
        held.forEach(request -> request.complete(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private record Answer(ResponseEntity<byte[]> response, Duration latency, boolean never) {
        static Answer now(ResponseEntity<byte[]> response) {
            return new Answer(response, Duration.ZERO, false);
        }
    }

    private Answer answer(String path, byte[] body) {
        if (body == null || body.length == 0) {
            return Answer.now(fault(Transport.CDC_2011, null, SoapFault.Kind.UNKNOWN, false, "The request is empty"));
        }
        if (body.length > MAX_REQUEST_BYTES) {
            return Answer.now(fault(Transport.CDC_2011, null, SoapFault.Kind.MESSAGE_TOO_LARGE, false,
                    "The request has " + body.length + " bytes; at most " + MAX_REQUEST_BYTES + " are accepted"));
        }
        SoapRequest request;
        try {
            request = SoapCodec.readRequest(body);
        } catch (SoapFormatException e) {
            return Answer.now(fault(Transport.CDC_2011, null, SoapFault.Kind.UNKNOWN, false,
                    "Not a request of the CDC IIS service: " + e.getMessage()));
        }
        boolean hub = request.transport() == Transport.IZGW_HUB;
        String target = hub ? request.destinationId() : path;
        DemoIis iis = target == null ? null : registries.get(target).orElse(null);
        if (iis == null) {
            return Answer.now(hub
                    ? fault(request.transport(), target, SoapFault.Kind.UNKNOWN_DESTINATION, false, "Unknown destination " + target)
                    : ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(SOAP).body(SoapCodec.writeFault(request.transport(),
                    new SoapFault(SoapFault.Kind.UNKNOWN, false, "No demo registry '" + path + "' here", ""), null, null)));
        }
        DemoFault fault = registries.nextCall(iis.id());
        Duration latency = registries.latency(iis.id());
        if (fault == DemoFault.NO_ANSWER) {
            return new Answer(null, latency, true);
        }
        return new Answer(respond(request, iis, fault), latency, false);
    }

    private ResponseEntity<byte[]> respond(SoapRequest request, DemoIis iis, DemoFault fault) {
        if (fault.soapFault() != null) {
            boolean receiver = fault == DemoFault.UNKNOWN_FAULT || fault == DemoFault.DESTINATION_CONNECTION_FAULT
                    || fault == DemoFault.HUB_CLIENT_FAULT;
            return fault(request.transport(), request.destinationId(), fault.soapFault(), receiver,
                    "Demo registry " + iis.id() + " fault knob: " + fault);
        }
        boolean submit = request.operation() == Transport.Operation.SUBMIT_SINGLE_MESSAGE;
        switch (fault) {
            case HTTP_ERROR -> {
                return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_HTML)
                        .body("<html><body><h1>503 Service Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8));
            }
            case NOT_SOAP -> {
                return ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                        .body("<html><body><form>Sign in</form></body></html>".getBytes(StandardCharsets.UTF_8));
            }
            case MALFORMED_HL7 -> {
                return reply(request, iis, "This registry is in maintenance; try later.");
            }
            case OVERSIZE -> {
                return reply(request, iis, "MSH|^~\\&|" + iis.id() + "IIS\r" + new String(OVERSIZE_HL7_PADDING, StandardCharsets.US_ASCII));
            }
            case REJECT -> {
                if (submit) {
                    return reply(request, iis, iis.reject(request.content(), "Demo registry " + iis.id() + " rejects messages (fault knob)"));
                }
            }
            default -> { }
        }
        if (submit && !(Objects.equals(request.username(), properties.username())
                && Objects.equals(request.password(), properties.password()))) {
            return fault(request.transport(), request.destinationId(), SoapFault.Kind.SECURITY, false,
                    "Username/password combination is unrecognized");
        }
        return reply(request, iis, submit ? iis.handle(request.content()) : request.content());
    }

    private ResponseEntity<byte[]> reply(SoapRequest request, DemoIis iis, String content) {
        return ResponseEntity.ok().contentType(SOAP)
                .body(SoapCodec.writeReply(request, content, "urn:izfhir:demo-registry:" + iis.id()));
    }

    /** A fault as SOAP 1.2 sends it: HTTP 500 when the registry blames itself, 400 when it blames the caller. */
    private static ResponseEntity<byte[]> fault(Transport transport, String destinationId, SoapFault.Kind kind,
                                                boolean receiver, String reason) {
        return ResponseEntity.status(receiver ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST).contentType(SOAP)
                .body(SoapCodec.writeFault(transport, new SoapFault(kind, receiver, reason, ""), destinationId,
                        destinationId == null ? null : "urn:izfhir:demo-registry:" + destinationId));
    }
}
