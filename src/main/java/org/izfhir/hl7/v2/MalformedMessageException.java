package org.izfhir.hl7.v2;

/**
 * A text that cannot be read as an HL7 v2 message, with the reason classified. The message
 * never holds message content (it may hold PHI), only what is wrong and where.
 */
public final class MalformedMessageException extends Exception {

    /** What is wrong with the text. */
    public enum Reason {
        /** Nothing but white space. */
        EMPTY,
        /** Larger than the reader accepts, in characters or segments. */
        TOO_LARGE,
        /** Control characters other than segment separators: not a text message. */
        BINARY,
        /** Does not start with an MSH segment. */
        NO_MSH,
        /** MSH-1 and MSH-2 do not define five distinct delimiters. */
        BAD_DELIMITERS
    }

    private final Reason reason;

    public MalformedMessageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
