package org.izfhir;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids that only have to be unique enough, never secret: HL7 message control ids and query tags,
 * request ids for tracing. Upper-case letters and digits without the look-alikes (I, O, 0, 1),
 * from a fast random source.
 */
public final class RandomIds {

    private static final char[] CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private RandomIds() {
    }

    /** A new id of {@code length} characters. */
    public static String next(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = CHARS[random.nextInt(CHARS.length)];
        }
        return new String(id);
    }
}
