package org.izfhir.hl7.response;

/**
 * Whether two answers of a registry say the same thing: the same segments, field for field, apart
 * from what changes with every exchange: the message's own time and control id (MSH-7, MSH-10),
 * the echoes of the query's control id and tag (MSA-2, QAK-1), and the query itself (QPD, echoed
 * whole: the same person may be asked for with other details). A registry asked again about a
 * person whose record has not changed gives the same answer by this test, and what was made of its
 * first answer still holds: of these fields the reader takes only the header's ids and the time of
 * a registry forecast (its date and identifier), which stay those of the first answer.
 *
 * <p>Compares the texts as they are, without reading them: a fraction of the cost of reading an
 * answer. Anything else that differs, even a timestamp in an OBX, makes two answers different.
 */
public final class SameAnswer {

    private SameAnswer() {
    }

    /** Whether {@code a} and {@code b} are the same answer given at two times. */
    public static boolean of(String a, String b) {
        if (a == null || b == null || a.length() < 4 || b.length() < 4) {
            return false;
        }
        char separator = a.charAt(3);
        if (b.charAt(3) != separator || !a.startsWith("MSH") || !b.startsWith("MSH")) {
            return false;
        }
        int i = 0;
        int j = 0;
        while (true) {
            i = skipLineEnds(a, i);
            j = skipLineEnds(b, j);
            if (i == a.length() || j == b.length()) {
                return i == a.length() && j == b.length();
            }
            int endA = segmentEnd(a, i);
            int endB = segmentEnd(b, j);
            if (!sameSegment(a, i, endA, b, j, endB, separator)) {
                return false;
            }
            i = endA;
            j = endB;
        }
    }

    private static boolean sameSegment(String a, int startA, int endA, String b, int startB, int endB, char separator) {
        if (endA - startA == endB - startB && a.regionMatches(startA, b, startB, endA - startA)) {
            return true;
        }
        if (endA - startA < 3 || endB - startB < 3 || !a.regionMatches(startA, b, startB, 3)) {
            return false;
        }
        int[] ignored = switch (a.substring(startA, startA + 3)) {
            case "MSH" -> new int[] {6, 9}; // MSH-7 and MSH-10: MSH-1 is the separator itself, so field n is the (n-1)th
            case "MSA" -> new int[] {2};
            case "QAK" -> new int[] {1};
            default -> null;
        };
        if (a.startsWith("QPD", startA)) {
            return true;
        }
        if (ignored == null) {
            return false;
        }
        int field = 0;
        int i = startA;
        int j = startB;
        while (true) {
            int nextA = fieldEnd(a, i, endA, separator);
            int nextB = fieldEnd(b, j, endB, separator);
            boolean skip = false;
            for (int n : ignored) {
                skip |= n == field;
            }
            if (!skip && (nextA - i != nextB - j || !a.regionMatches(i, b, j, nextA - i))) {
                return false;
            }
            if (nextA == endA || nextB == endB) {
                return nextA == endA && nextB == endB;
            }
            i = nextA + 1;
            j = nextB + 1;
            field++;
        }
    }

    private static int fieldEnd(String text, int from, int end, char separator) {
        int i = from;
        while (i < end && text.charAt(i) != separator) {
            i++;
        }
        return i;
    }

    private static int skipLineEnds(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    private static int segmentEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
            i++;
        }
        return i;
    }
}
