package org.izfhir.hl7.v2;

import java.util.ArrayList;
import java.util.List;

/**
 * One segment of an HL7 v2 message, read leniently. Fields are located once; components,
 * repetitions and subcomponents are cut out of the segment's text only when asked for, and
 * values come back unescaped. Missing parts read as the empty string, never as {@code null}.
 *
 * <p>Numbering follows the standard: {@code field(1)} is the first field after the segment
 * name; for MSH, {@code field(1)} is the field separator and {@code field(2)} the encoding
 * characters. Components and subcomponents count from 1.
 */
public final class Segment {

    private final String text;
    private final Delimiters delimiters;
    private final int[] fieldStarts;
    private final int index;
    private final boolean header;

    Segment(String text, Delimiters delimiters, int index) {
        this.text = text;
        this.header = text.startsWith("MSH") || text.startsWith("FHS") || text.startsWith("BHS");
        this.delimiters = delimiters;
        this.index = index;
        this.fieldStarts = locateFields(text, delimiters.field());
    }

    private static int[] locateFields(String text, char separator) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                count++;
            }
        }
        int[] starts = new int[count];
        int field = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                starts[field++] = i + 1;
            }
        }
        return starts;
    }

    /** The segment's name, e.g. {@code PID}. */
    public String name() {
        return text.length() >= 3 ? text.substring(0, 3) : text;
    }

    /** The position of this segment in its message, from 1 (MSH). */
    public int index() {
        return index;
    }

    /** The highest field number present. */
    public int fieldCount() {
        return isMsh() ? fieldStarts.length : fieldStarts.length - 1;
    }

    /** A whole field, with its repetitions, components and escapes as sent. */
    public String rawField(int field) {
        if (isMsh()) {
            if (field == 1) {
                return String.valueOf(delimiters.field());
            }
            field--; // MSH-2 is the first field after the separator
        }
        if (field < 1 || field >= fieldStarts.length) {
            return "";
        }
        int start = fieldStarts[field];
        int end = field + 1 < fieldStarts.length ? fieldStarts[field + 1] - 1 : text.length();
        return text.substring(start, end);
    }

    /** The repetitions of a field, each with its components as sent. */
    public List<String> rawRepetitions(int field) {
        String raw = rawField(field);
        if (isMsh() && field == 2) {
            return List.of(raw);
        }
        return split(raw, delimiters.repetition());
    }

    /** The first repetition's first component, unescaped. */
    public String get(int field) {
        return get(field, 1);
    }

    /** A component of the first repetition, unescaped. */
    public String get(int field, int component) {
        return component(first(field), component);
    }

    /** A subcomponent of a component of the first repetition, unescaped. */
    public String get(int field, int component, int subcomponent) {
        return subcomponent(first(field), component, subcomponent);
    }

    /** A component of one repetition (as given by {@link #rawRepetitions}), unescaped. */
    public String component(String repetition, int component) {
        return delimiters.unescape(cut(repetition, delimiters.component(), component));
    }

    /** A subcomponent of a component of one repetition, unescaped. */
    public String subcomponent(String repetition, int component, int subcomponent) {
        String raw = cut(repetition, delimiters.component(), component);
        return delimiters.unescape(cut(raw, delimiters.subcomponent(), subcomponent));
    }

    /** Whether a field holds anything. */
    public boolean has(int field) {
        return !rawField(field).isEmpty();
    }

    /** The segment as sent. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return name() + "[" + index + "]"; // never the content: it may hold PHI
    }

    private String first(int field) {
        String raw = rawField(field);
        if (isMsh() && field <= 2) {
            return raw;
        }
        int end = raw.indexOf(delimiters.repetition());
        return end < 0 ? raw : raw.substring(0, end);
    }

    /** MSH (and FHS, BHS) count their fields from the separator itself. */
    private boolean isMsh() {
        return header;
    }

    static String cut(String value, char separator, int position) {
        if (position < 1) {
            return "";
        }
        int start = 0;
        for (int i = 1; i < position; i++) {
            int next = value.indexOf(separator, start);
            if (next < 0) {
                return "";
            }
            start = next + 1;
        }
        int end = value.indexOf(separator, start);
        return end < 0 ? value.substring(start) : value.substring(start, end);
    }

    private static List<String> split(String value, char separator) {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> parts = new ArrayList<>(2);
        int start = 0;
        int next;
        while ((next = value.indexOf(separator, start)) >= 0) {
            parts.add(value.substring(start, next));
            start = next + 1;
        }
        parts.add(value.substring(start));
        return parts;
    }
}
