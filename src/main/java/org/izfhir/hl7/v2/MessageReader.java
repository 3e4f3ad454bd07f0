package org.izfhir.hl7.v2;

import java.util.ArrayList;
import java.util.List;
import org.izfhir.hl7.v2.MalformedMessageException.Reason;

/**
 * Reads HL7 v2 messages leniently, the way registries really send them: segments separated by
 * CR, LF or CRLF; MLLP framing, blank lines and trailing white space ignored; lines that are not
 * segments skipped. Never throws anything but {@link MalformedMessageException}, whatever the
 * input, and takes time linear in its length.
 *
 * <p>Hand-written rather than HAPI's {@code PipeParser}: reading and mapping a 40-segment RSP
 * this way is faster than HAPI's bare parse and retains a fraction of its heap (see the
 * benchmarks in the README), and a malformed answer becomes a classified error instead of
 * an unchecked exception.
 */
public final class MessageReader {

    /** Default limits: far above any real immunization answer (a few KB, a few hundred segments). */
    public static final int DEFAULT_MAX_CHARS = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_SEGMENTS = 20_000;

    private final int maxChars;
    private final int maxSegments;

    public MessageReader() {
        this(DEFAULT_MAX_CHARS, DEFAULT_MAX_SEGMENTS);
    }

    public MessageReader(int maxChars, int maxSegments) {
        this.maxChars = maxChars;
        this.maxSegments = maxSegments;
    }

    /** Reads the first message of a text (a batch or a second message after it is ignored). */
    public Message read(String text) throws MalformedMessageException {
        return readAll(text).get(0);
    }

    /** Reads every message of a text: each MSH starts a new one. */
    public List<Message> readAll(String text) throws MalformedMessageException {
        if (text == null || text.isBlank()) {
            throw new MalformedMessageException(Reason.EMPTY, "the message is empty");
        }
        if (text.length() > maxChars) {
            throw new MalformedMessageException(Reason.TOO_LARGE,
                    "the message has " + text.length() + " characters; at most " + maxChars + " are read");
        }
        int start = text.indexOf("MSH");
        if (start < 0 || !onlyFraming(text, start)) {
            throw new MalformedMessageException(Reason.NO_MSH, "the message does not start with an MSH segment");
        }
        Delimiters delimiters = delimiters(text, start);
        List<Message> messages = new ArrayList<>(1);
        List<Segment> segments = new ArrayList<>();
        int total = 0;
        int binaryLine = 0;
        int lineStart = start;
        while (lineStart < text.length()) {
            int lineEnd = lineEnd(text, lineStart);
            String line = trimTrailing(text.substring(lineStart, lineEnd));
            if (isSegment(line, delimiters.field())) {
                if (binaryLine > 0) {
                    throw new MalformedMessageException(Reason.BINARY,
                            "the text after segment " + binaryLine + " holds control characters: not a text message");
                }
                if (++total > maxSegments) {
                    throw new MalformedMessageException(Reason.TOO_LARGE,
                            "the message has more than " + maxSegments + " segments");
                }
                if (line.startsWith("MSH") && !segments.isEmpty()) {
                    messages.add(new Message(segments, delimiters));
                    segments = new ArrayList<>();
                }
                segments.add(new Segment(line, delimiters, segments.size() + 1));
            } else if (hasBinary(line) && binaryLine == 0) {
                binaryLine = total; // trailing garbage if no segment follows, corruption if one does
            }
            lineStart = lineEnd + 1;
        }
        messages.add(new Message(segments, delimiters));
        return messages;
    }

    private static boolean onlyFraming(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c != 0x0B && !Character.isWhitespace(c) && c != '\uFEFF') {
                return false;
            }
        }
        return true;
    }

    private static Delimiters delimiters(String text, int start) throws MalformedMessageException {
        if (text.length() < start + 8) {
            throw new MalformedMessageException(Reason.BAD_DELIMITERS, "MSH is too short to hold its delimiters");
        }
        char field = text.charAt(start + 3);
        char component = text.charAt(start + 4);
        char repetition = text.charAt(start + 5);
        char escape = text.charAt(start + 6);
        char subcomponent = text.charAt(start + 7);
        if (subcomponent == field) {
            // MSH-2 with three characters (no subcomponent separator) is seen in the wild.
            subcomponent = '&';
        }
        String all = new String(new char[] {field, component, repetition, escape, subcomponent});
        if (all.chars().distinct().count() != 5 || all.chars().anyMatch(c -> Character.isLetterOrDigit(c)
                || Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new MalformedMessageException(Reason.BAD_DELIMITERS,
                    "MSH-1 and MSH-2 do not define five distinct delimiters");
        }
        return new Delimiters(field, component, repetition, escape, subcomponent);
    }

    private static int lineEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0x1C) {
                return i;
            }
        }
        return text.length();
    }

    private static String trimTrailing(String line) {
        int end = line.length();
        while (end > 0 && (Character.isWhitespace(line.charAt(end - 1)) || line.charAt(end - 1) == 0x0B)) {
            end--;
        }
        int begin = 0;
        while (begin < end && line.charAt(begin) == 0x0B) {
            begin++;
        }
        return line.substring(begin, end);
    }

    /** A segment: three upper-case letters or digits, then the field separator or the end. */
    private static boolean isSegment(String line, char field) {
        if (line.length() < 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return line.length() == 3 || line.charAt(3) == field;
    }

    private static boolean hasBinary(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t') {
                return true;
            }
        }
        return false;
    }
}
