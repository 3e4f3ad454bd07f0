package org.izfhir.demo;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapFault;
import org.izfhir.registry.soap.SoapFormatException;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;
import org.springframework.context.SmartLifecycle;

/**
 * The demo registries' SOAP service at {@code /demo-registries/{id}/soap}: the CDC 2011 and 2014
 * services answer for registry {@code id}; the IZ Gateway hub service (any path, conventionally
 * {@code /demo-registries/hub/soap}) routes by {@code HubRequestHeader/DestinationId}. An answer
 * leaves when the registry's latency has passed since the request arrived (its own work included,
 * as a registry's response time does), without holding a server thread. A plain asynchronous
 * servlet, as lean as a registry's own endpoint: the demo registries share the server's CPU with
 * the consultations they answer, so their cost must not weigh on what is measured.
 */
class DemoRegistryServlet extends HttpServlet implements SmartLifecycle {

    private static final int MAX_REQUEST_BYTES = 1_000_000;
    private static final String SOAP = SoapCodec.MEDIA_TYPE + ";charset=UTF-8";
    private static final byte[] OVERSIZE_HL7_PADDING = "OBX|1|ST|X^padding^L||".repeat(400_000).getBytes(StandardCharsets.US_ASCII);

    private final transient DemoRegistries registries;
    private final transient DemoProperties properties;
    /** Requests held by the NO_ANSWER knob: released when the server stops, so shutdown does not wait on them. */
    private final transient Set<AsyncContext> held = ConcurrentHashMap.newKeySet();
    /** Sends the answers when their latency has passed (a thread per answer would cost more than the answer). */
    private final transient ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "demo-registry-answers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    DemoRegistryServlet(DemoRegistries registries, DemoProperties properties) {
        this.registries = registries;
        this.properties = properties;
    }

    /** An HTTP answer: status, media type and body. */
    private record Reply(int status, String contentType, byte[] body) {
        static Reply soap(int status, byte[] body) {
            return new Reply(status, SOAP, body);
        }
    }

    /**
     * {@code PUT /demo-registries/{id}/knobs?fault=WARN&latency=200ms&fault-rate=1&fault-calls=0}: tells a
     * demo registry how to misbehave from now on ({@code fault=NONE} to recover). Answers the knobs as set.
     */
    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
        if (path.length != 3 || !path[2].equals("knobs") || !registries.ids().contains(path[1].toUpperCase(Locale.ROOT))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        DemoProperties.Knobs knobs;
        try {
            String latency = request.getParameter("latency");
            String rate = request.getParameter("fault-rate");
            String calls = request.getParameter("fault-calls");
            String fault = request.getParameter("fault");
            knobs = new DemoProperties.Knobs(
                    latency == null ? Duration.ZERO : org.springframework.boot.convert.DurationStyle.detectAndParse(latency),
                    fault == null ? DemoFault.NONE : DemoFault.valueOf(fault.toUpperCase(Locale.ROOT)),
                    rate == null ? 1.0 : Double.parseDouble(rate), calls == null ? 0 : Integer.parseInt(calls));
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/plain");
            response.getWriter().write("knobs: fault (one of " + java.util.Arrays.toString(DemoFault.values())
                    + "), latency (e.g. 200ms), fault-rate (0 to 1), fault-calls (0: every call)\n");
            return;
        }
        registries.set(path[1], knobs);
        response.setContentType("text/plain");
        response.getWriter().write(path[1].toUpperCase(Locale.ROOT) + " " + knobs + "\n");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long arrived = System.nanoTime();
        String[] path = request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
        if (path.length != 3 || !path[2].equals("soap")) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Answer answer = answer(path[1], body(request));
        if (!answer.never() && answer.latency().isZero()) {
            write(answer.reply(), response);
            return;
        }
        AsyncContext async = request.startAsync();
        if (answer.never()) { // held until the server's async timeout, or until it stops
            held.add(async);
            async.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    held.remove(async);
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    release(async);
                }

                @Override
                public void onError(AsyncEvent event) {
                    held.remove(async);
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            return;
        }
        timer.schedule(() -> {
            try {
                write(answer.reply(), (HttpServletResponse) async.getResponse());
            } catch (IOException | RuntimeException e) {
                // the caller went away: nothing to tell it
            } finally {
                async.complete();
            }
        }, answer.latency().toNanos() - (System.nanoTime() - arrived), TimeUnit.NANOSECONDS);
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            return in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
    }

    private static void write(Reply reply, HttpServletResponse response) throws IOException {
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
    }

    /** Answers a held request: the registry is unavailable. */
    private void release(AsyncContext async) {
        held.remove(async);
        try {
            ((HttpServletResponse) async.getResponse()).setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        } finally {
            async.complete();
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Stops before the web server's graceful shutdown (which would wait for held requests). */
    @Override
    public void stop() {
        running = false;
        held.forEach(this::release);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private record Answer(Reply reply, Duration latency, boolean never) {
        static Answer now(Reply reply) {
            return new Answer(reply, Duration.ZERO, false);
        }
    }

    private Answer answer(String path, byte[] body) {
        if (body == null || body.length == 0) {
            return Answer.now(fault(Transport.CDC_2011, null, SoapFault.Kind.UNKNOWN, false, "The request is empty"));
        }
        if (body.length > MAX_REQUEST_BYTES) {
            return Answer.now(fault(Transport.CDC_2011, null, SoapFault.Kind.MESSAGE_TOO_LARGE, false,
                    "The request has more than " + MAX_REQUEST_BYTES + " bytes, the most accepted"));
        }
        SoapRequest request;
        try {
            request = RegistrySoapCodec.readRequest(body);
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
                    : Reply.soap(HttpServletResponse.SC_NOT_FOUND, RegistrySoapCodec.writeFault(request.transport(),
                    new SoapFault(SoapFault.Kind.UNKNOWN, false, "No demo registry '" + path + "' here", ""), null, null)));
        }
        DemoFault fault = registries.nextCall(iis.id());
        Duration latency = registries.latency(iis.id());
        if (fault == DemoFault.NO_ANSWER) {
            return new Answer(null, latency, true);
        }
        return new Answer(respond(request, iis, fault), latency, false);
    }

    private Reply respond(SoapRequest request, DemoIis iis, DemoFault fault) {
        if (fault.soapFault() != null) {
            boolean receiver = fault == DemoFault.UNKNOWN_FAULT || fault == DemoFault.DESTINATION_CONNECTION_FAULT
                    || fault == DemoFault.HUB_CLIENT_FAULT;
            return fault(request.transport(), request.destinationId(), fault.soapFault(), receiver,
                    "Demo registry " + iis.id() + " fault knob: " + fault);
        }
        boolean submit = request.operation() == Transport.Operation.SUBMIT_SINGLE_MESSAGE;
        switch (fault) {
            case HTTP_ERROR -> {
                return new Reply(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "text/html",
                        "<html><body><h1>503 Service Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8));
            }
            case NOT_SOAP -> {
                return new Reply(HttpServletResponse.SC_OK, "text/html",
                        "<html><body><form>Sign in</form></body></html>".getBytes(StandardCharsets.UTF_8));
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
            case WARN, REFUSE -> {
                if (submit && iis.isUpdate(request.content())) {
                    return reply(request, iis, fault == DemoFault.WARN ? iis.keepWithWarning(request.content())
                            : iis.refuse(request.content()));
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

    private Reply reply(SoapRequest request, DemoIis iis, String content) {
        return Reply.soap(HttpServletResponse.SC_OK, RegistrySoapCodec.writeReply(request, content,
                "urn:izfhir:demo-registry:" + iis.id()));
    }

    /** A fault as SOAP 1.2 sends it: HTTP 500 when the registry blames itself, 400 when it blames the caller. */
    private static Reply fault(Transport transport, String destinationId, SoapFault.Kind kind, boolean receiver,
                               String reason) {
        return Reply.soap(receiver ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : HttpServletResponse.SC_BAD_REQUEST,
                RegistrySoapCodec.writeFault(transport, new SoapFault(kind, receiver, reason, ""), destinationId,
                        destinationId == null ? null : "urn:izfhir:demo-registry:" + destinationId));
    }
}
