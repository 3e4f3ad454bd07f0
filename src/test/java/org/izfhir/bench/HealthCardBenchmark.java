package org.izfhir.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.card.CardProperties;
import org.izfhir.card.HealthCardQr;
import org.izfhir.card.HealthCards;
import org.izfhir.card.OfficialRecordPdf;
import org.izfhir.record.PersonRecord;
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
 * Proof of a 20-dose record on one thread: issuing its SMART Health Card (Bundle, minified
 * payload, DEFLATE, ES256), the card's QR code as PNG, and the official record as PDF; beside the
 * card of a record with no dose (the baseline: the signature alone, mostly). Run:
 * {@code bench/jmh.sh HealthCard}; read the p0.50 rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Threads(1)
public class HealthCardBenchmark {

    private HealthCards cards;
    private OfficialRecordPdf pdf;
    private PersonRecord twentyDoses;
    private PersonRecord noDose;
    private String jws;

    @Setup
    public void setUp() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint(true).generate();
        cards = new HealthCards(() -> key, Clock.systemUTC());
        pdf = new OfficialRecordPdf(new CardProperties("", "", "", "", java.time.Duration.ofDays(365), "Bench", "", false, ""));
        String[] cvx = {"08", "110", "49", "133", "116", "110", "49", "133", "116", "110", "133", "116", "03", "21", "83",
            "49", "133", "83", "20", "10"};
        List<Immunization> doses = new ArrayList<>();
        LocalDate date = LocalDate.of(2021, 3, 15);
        for (int i = 0; i < cvx.length; i++) {
            Immunization dose = new Immunization().setStatus(Immunization.ImmunizationStatus.COMPLETED)
                    .setOccurrence(new DateTimeType(date.plusDays(40L * i).toString())).setLotNumber("LOT" + i);
            dose.getVaccineCode().addCoding(new Coding("http://hl7.org/fhir/sid/cvx", cvx[i], "vaccine " + cvx[i]));
            dose.setLocation(new Reference().setDisplay("Children's Clinic " + (i % 3)));
            dose.setId("p1-imm-" + i);
            doses.add(dose);
        }
        twentyDoses = record(doses);
        noDose = record(List.of());
        jws = cards.issue(twentyDoses, "https://iz.example.org", null).jws();
    }

    private static PersonRecord record(List<Immunization> doses) {
        Patient patient = new Patient().setBirthDateElement(new DateType("2021-03-14"));
        patient.setId("p1");
        patient.addName().setFamily("Rivera").addGiven("Sophia");
        return new PersonRecord("p1", patient, doses, List.of(), List.of(), List.of(), new OperationOutcome(), null,
                List.of(), Instant.now());
    }

    @Benchmark
    public String cardOfTwentyDoses() {
        return cards.issue(twentyDoses, "https://iz.example.org", null).jws();
    }

    @Benchmark
    public String cardOfNoDose() {
        return cards.issue(noDose, "https://iz.example.org", null).jws();
    }

    @Benchmark
    public byte[] qrPngOfTwentyDoses() {
        return HealthCardQr.png(jws);
    }

    @Benchmark
    public byte[] officialRecordOfTwentyDoses() {
        return pdf.write(twentyDoses, jws, LocalDate.of(2026, 12, 3));
    }
}
