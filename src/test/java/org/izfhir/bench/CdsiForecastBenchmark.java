package org.izfhir.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.izfhir.forecast.Assessment;
import org.izfhir.forecast.CdsiEngine;
import org.izfhir.forecast.Forecast;
import org.izfhir.forecast.SupportingData;
import org.izfhir.forecast.SupportingDataReader;
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
 * The CDSi engine on one thread: evaluating and forecasting every vaccine group for a child with
 * 20 doses (a complete infant schedule plus kindergarten boosters), beside the same for a newborn
 * with no doses (the baseline: series selection and forecasting alone), and reading the whole
 * supporting data release. Run: {@code bench/jmh.sh CdsiForecast}; read the p0.50 rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Threads(1)
public class CdsiForecastBenchmark {

    private CdsiEngine engine;
    private Assessment twentyDoses;
    private Assessment noDoses;

    @Setup
    public void setUp() {
        engine = new CdsiEngine(SupportingDataReader.fromClasspath());
        twentyDoses = twentyDoseChild();
        noDoses = new Assessment(LocalDate.of(2025, 11, 10), LocalDate.of(2025, 11, 10), Assessment.Sex.FEMALE,
                List.of(), List.of());
    }

    /** Born 2020-01-15, seen at 5 years 10 months: HepB, Pediarix, Hib, PCV, MMR, varicella, HepA, Kinrix. */
    static Assessment twentyDoseChild() {
        LocalDate born = LocalDate.of(2020, 1, 15);
        List<Assessment.Dose> doses = new ArrayList<>();
        String[][] schedule = {
            {"0", "08"}, {"61", "110"}, {"61", "49"}, {"61", "133"}, {"122", "110"}, {"122", "49"},
            {"122", "133"}, {"183", "110"}, {"183", "133"}, {"366", "03"}, {"366", "21"}, {"366", "83"},
            {"457", "49"}, {"457", "133"}, {"457", "20"}, {"548", "83"}, {"1462", "130"}, {"1462", "03"},
            {"1462", "21"}, {"1500", "88"}};
        for (int i = 0; i < schedule.length; i++) {
            doses.add(new Assessment.Dose(String.valueOf(i), born.plusDays(Long.parseLong(schedule[i][0])),
                    schedule[i][1], null));
        }
        return new Assessment(LocalDate.of(2025, 11, 10), born, Assessment.Sex.FEMALE, doses, List.of());
    }

    @Benchmark
    public Forecast forecastTwentyDoses() {
        return engine.forecast(twentyDoses);
    }

    @Benchmark
    public Forecast forecastNoDoses() {
        return engine.forecast(noDoses);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public SupportingData loadSupportingData() {
        return SupportingDataReader.fromClasspath();
    }
}
