package org.izfhir.bench;

import ca.uhn.hl7v2.parser.PipeParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.response.ResponseReader;

/**
 * Heap retained per message while its result is kept: the FHIR resources of this server's reader
 * beside HAPI's parsed {@code Message}, as multiples of the message's size on the wire (its
 * characters, one byte each in ASCII). Run: {@code bench/jmh.sh retained}.
 */
public final class RetainedHeap {

    private static final int COPIES = 2_000;

    public static void main(String[] args) throws Exception {
        String message = Hl7TestMessages.ig(ResponseReadBenchmark.SCENARIO);
        ResponseReader reader = new ResponseReader();
        PipeParser hapi = ResponseReadBenchmark.hapiParser();
        int wire = message.length();
        double ours = perMessage(() -> reader.read(message, "NJ"));
        double theirs = perMessage(() -> {
            try {
                return hapi.parse(message);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("message on the wire: %d bytes, %d segments%n", wire, message.split("\r").length);
        System.out.printf("read-and-map to FHIR: %,.0f bytes retained per message (%.1fx wire)%n", ours, ours / wire);
        System.out.printf("HAPI bare parse:      %,.0f bytes retained per message (%.1fx wire)%n", theirs, theirs / wire);
    }

    /** Median over 5 rounds of (heap after keeping COPIES results - heap before) / COPIES. */
    private static double perMessage(Supplier<Object> read) {
        double[] rounds = new double[5];
        for (int round = 0; round < rounds.length; round++) {
            List<Object> kept = new ArrayList<>(COPIES);
            long before = usedAfterGc();
            for (int i = 0; i < COPIES; i++) {
                kept.add(read.get());
            }
            long after = usedAfterGc();
            rounds[round] = (after - before) / (double) COPIES;
            if (kept.size() != COPIES) {
                throw new IllegalStateException();
            }
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private RetainedHeap() {
    }
}
