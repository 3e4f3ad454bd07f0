package org.izfhir.bench;

import java.util.concurrent.TimeUnit;
import org.izfhir.demo.RegistrySoapCodec;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.registry.soap.SoapCodec;
import org.izfhir.registry.soap.SoapFormatException;
import org.izfhir.registry.soap.SoapReply;
import org.izfhir.registry.soap.SoapRequest;
import org.izfhir.registry.soap.Transport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SOAP envelope's cost per registry call, beside the HL7 work it carries, in the same run,
 * one thread: writing a QBP request envelope, reading a reply envelope holding the 38-segment
 * Z42, and (the baseline) reading and mapping that Z42 to FHIR.
 * Run: {@code bench/jmh.sh SoapCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Threads(1)
public class SoapCodecBenchmark {

    private SoapRequest request;
    private byte[] reply;
    private String z42;
    private ResponseReader reader;

    @Setup
    public void setUp() {
        request = new SoapRequest(Transport.CDC_2011, Transport.Operation.SUBMIT_SINGLE_MESSAGE, "user", "password",
                "MYORG", null, Hl7TestMessages.ig("qbp-z34"));
        z42 = Hl7TestMessages.ig(ResponseReadBenchmark.SCENARIO);
        reply = RegistrySoapCodec.writeReply(request, z42, null);
        reader = new ResponseReader();
    }

    @Benchmark
    public byte[] writeRequestEnvelope() {
        return SoapCodec.writeRequest(request);
    }

    @Benchmark
    public SoapReply readReplyEnvelope() throws SoapFormatException {
        return SoapCodec.readReply(reply);
    }

    /** Baseline: the HL7 work every answer needs anyway. */
    @Benchmark
    public RegistryResponse readAndMapZ42ToFhir() {
        return reader.read(z42, "NJ");
    }
}
