package org.izfhir.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import java.util.concurrent.TimeUnit;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.ResponseReader;
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
 * Reading a 38-segment Z42 answer (evaluated history and forecast, the CDC guide's example):
 * this server's read-and-map to FHIR resources, beside HAPI HL7v2's bare {@code PipeParser.parse}
 * of the same message (no mapping at all), in the same run, one thread.
 * Run: {@code bench/jmh.sh ResponseRead}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Threads(1)
public class ResponseReadBenchmark {

    static final String SCENARIO = "rsp-z42-evaluated-history-and-forecast";

    private String message;
    private ResponseReader reader;
    private PipeParser hapi;

    @Setup
    public void setUp() {
        message = Hl7TestMessages.ig(SCENARIO);
        reader = new ResponseReader();
        hapi = hapiParser();
    }

    static PipeParser hapiParser() {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(new NoValidation());
        return context.getPipeParser();
    }

    /** Baseline: HAPI's parse into its 2.5.1 model, nothing mapped. */
    @Benchmark
    public Message hapiBareParse() throws HL7Exception {
        return hapi.parse(message);
    }

    /** This server: read, classify, and map to Patient, Immunization, ImmunizationEvaluation, ImmunizationRecommendation. */
    @Benchmark
    public RegistryResponse readAndMapToFhir() {
        return reader.read(message, "NJ");
    }
}
