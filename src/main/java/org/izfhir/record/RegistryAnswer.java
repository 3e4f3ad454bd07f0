package org.izfhir.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.registry.RegistryFailure;

/**
 * What one registry said to one query, or why it said nothing.
 *
 * @param registryId   the registry's id
 * @param registryName its name, for people
 * @param status       the answer, classified
 * @param response     the answer read and mapped to FHIR; {@code null} when the call failed
 * @param message      the HL7 answer as received; empty when the call failed
 * @param failure      why the call failed; {@code null} when it did not
 * @param at           when the answer came (or the call ended); for an answer given again, the latest time
 * @param since        when the registry first gave this same answer: what the record's resources were made of
 *                     has not changed since ({@code at} when {@code null})
 * @param reused       whether this answer is an earlier one, kept because the registry failed this time
 */
public record RegistryAnswer(String registryId, String registryName, RegistryStatus status, RegistryResponse response,
                             String message, RegistryFailure failure, Instant at, Instant since, boolean reused) {

    public RegistryAnswer {
        Objects.requireNonNull(registryId, "registryId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        message = message == null ? "" : message;
        since = since == null ? at : since;
    }

    /** A new answer, given when the call ended. */
    RegistryAnswer(String registryId, String registryName, RegistryStatus status, RegistryResponse response,
                   String message, RegistryFailure failure, Instant at) {
        this(registryId, registryName, status, response, message, failure, at, at, false);
    }

    /** Whether the answer carries a person with their history (and perhaps a forecast). */
    public boolean hasHistory() {
        return response != null && (response.kind() == Kind.HISTORY
                || response.kind() == Kind.HISTORY_AND_FORECAST) && response.patient() != null;
    }

    /**
     * The answers, with a registry that failed this time replaced by its earlier answer when there
     * is one (marked as kept): a registry's bad minute does not erase what it said.
     */
    static List<RegistryAnswer> keepEarlier(List<RegistryAnswer> answers, List<RegistryAnswer> earlier) {
        List<RegistryAnswer> kept = new ArrayList<>(answers.size());
        for (RegistryAnswer answer : answers) {
            RegistryAnswer previous = answer.failure() == null ? null : earlier.stream()
                    .filter(e -> e.registryId().equals(answer.registryId())).findFirst().orElse(null);
            kept.add(previous == null ? answer : previous.keptDespite(answer.failure()));
        }
        return kept;
    }

    /** This earlier answer, kept because the registry failed this time with {@code failure}. */
    RegistryAnswer keptDespite(RegistryFailure failure) {
        return new RegistryAnswer(registryId, registryName, status, response, message, failure, at, since, true);
    }

    /**
     * This answer, given again unchanged at {@code later}: the same message and resources (it is
     * not read again), the later time.
     */
    RegistryAnswer givenAgain(Instant later) {
        return new RegistryAnswer(registryId, registryName, status, response, message, null, later, since, false);
    }
}
