package org.izfhir.hl7.v2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An HL7 v2 message read by {@link MessageReader}: its segments in order, and its delimiters.
 * Immutable; cheap to keep (it holds the message text once, plus field offsets).
 */
public final class Message {

    private final List<Segment> segments;
    private final Delimiters delimiters;

    Message(List<Segment> segments, Delimiters delimiters) {
        this.segments = List.copyOf(segments);
        this.delimiters = delimiters;
    }

    public List<Segment> segments() {
        return segments;
    }

    public Delimiters delimiters() {
        return delimiters;
    }

    /** The MSH segment; every message read has one, first. */
    public Segment msh() {
        return segments.get(0);
    }

    /** The first segment of a name. */
    public Optional<Segment> first(String name) {
        for (Segment segment : segments) {
            if (segment.name().equals(name)) {
                return Optional.of(segment);
            }
        }
        return Optional.empty();
    }

    /** Every segment of a name, in order. */
    public List<Segment> all(String name) {
        return select(segment -> segment.name().equals(name));
    }

    /** Whether the message has a segment of a name. */
    public boolean has(String name) {
        return first(name).isPresent();
    }

    /** The message type, e.g. {@code RSP} from MSH-9 {@code RSP^K11^RSP_K11}. */
    public String type() {
        return msh().get(9, 1);
    }

    /** The trigger event, e.g. {@code K11}. */
    public String event() {
        return msh().get(9, 2);
    }

    /** MSH-10, the message control id. */
    public String controlId() {
        return msh().get(10);
    }

    private List<Segment> select(Predicate<Segment> filter) {
        List<Segment> selected = new ArrayList<>();
        for (Segment segment : segments) {
            if (filter.test(segment)) {
                selected.add(segment);
            }
        }
        return selected;
    }
}
