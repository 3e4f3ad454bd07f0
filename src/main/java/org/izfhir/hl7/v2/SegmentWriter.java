package org.izfhir.hl7.v2;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one segment with the standard delimiters. Every value given is escaped, so a name with
 * {@code ^} or {@code &} cannot break the message; empty trailing fields and components are
 * not written.
 */
public final class SegmentWriter {

    private static final Delimiters D = Delimiters.STANDARD;

    private final String name;
    private final List<String> fields = new ArrayList<>();

    public SegmentWriter(String name) {
        this.name = name;
    }

    /** MSH, with MSH-1 and MSH-2 written; the next field set is MSH-3. */
    public static SegmentWriter msh() {
        SegmentWriter msh = new SegmentWriter("MSH");
        msh.fields.add(D.encodingCharacters()); // MSH-2, written as is
        return msh;
    }

    /** Sets a field to a value (escaped), or to several components (each escaped). */
    public SegmentWriter field(int number, String... components) {
        return raw(number, join(components, D.component()));
    }

    /** Sets a field to repetitions already built with {@link #components}. */
    public SegmentWriter repetitions(int number, List<String> repetitions) {
        return raw(number, String.join(String.valueOf(D.repetition()), repetitions));
    }

    /** Builds one repetition of components, each escaped. */
    public static String components(String... components) {
        return join(components, D.component());
    }

    /** Builds one component of subcomponents, each escaped; to be passed to {@link #rawComponents}. */
    public static String subcomponents(String... subcomponents) {
        return join(subcomponents, D.subcomponent());
    }

    /** Sets a field to components some of which are already built with {@link #subcomponents}. */
    public SegmentWriter rawComponents(int number, String... built) {
        return raw(number, trimEnd(String.join(String.valueOf(D.component()), built), D.component()));
    }

    private SegmentWriter raw(int number, String value) {
        int index = name.equals("MSH") ? number - 2 : number - 1; // MSH-1 is the separator itself
        while (fields.size() <= index) {
            fields.add("");
        }
        fields.set(index, value);
        return this;
    }

    private static String join(String[] values, char separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(D.escape(values[i]));
        }
        return trimEnd(out.toString(), separator);
    }

    private static String trimEnd(String value, char separator) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == separator) {
            end--;
        }
        return value.substring(0, end);
    }

    /** The segment, without a segment terminator. */
    public String build() {
        int last = fields.size();
        while (last > 0 && fields.get(last - 1).isEmpty()) {
            last--;
        }
        StringBuilder out = new StringBuilder(name);
        for (int i = 0; i < last; i++) {
            out.append(D.field()).append(fields.get(i));
        }
        if (name.equals("MSH") && last == 0) {
            out.append(D.field());
        }
        return out.toString();
    }
}
