package org.izfhir.hl7.response;

/**
 * What a registry's answer says, decided by QAK-2 (HL7 table 0208), MSA-1 (table 0008) and the
 * segments present, never by the profile in MSH-21 alone.
 */
public enum Outcome {
    /** One person matched; their history (Z32, or Z42 without forecast). */
    HISTORY(true),
    /** One person matched; history with evaluation and forecast (Z42). */
    HISTORY_AND_FORECAST(true),
    /** Several people may match (Z31, sometimes labelled Z33): demographics only, no immunizations. */
    CANDIDATES(true),
    /** No one matched (QAK-2 NF). */
    NOT_FOUND(true),
    /** More people matched than the query allows (QAK-2 TM). */
    TOO_MANY(true),
    /** The record exists but the registry may not share it (QAK-2 PD, or a protection indicator). */
    PROTECTED(true),
    /** A submission was accepted (ACK AA). */
    ACCEPTED(true),
    /** A submission was accepted with errors: some of it may be lost (ACK AE). */
    ACCEPTED_WITH_ERRORS(true),
    /** The registry refused the message (AE/AR with ERR): see the errors. */
    REJECTED(true),
    /** The answer is not a readable HL7 message, or not an answer to a query or submission. */
    UNREADABLE(false);

    private final boolean readable;

    Outcome(boolean readable) {
        this.readable = readable;
    }

    /** Whether the registry gave an answer the server could read (even a negative one). */
    public boolean answered() {
        return readable;
    }
}
