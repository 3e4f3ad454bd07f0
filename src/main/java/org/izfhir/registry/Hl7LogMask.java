package org.izfhir.registry;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * HL7 for logs without PHI: MSH, MSA, QAK and ERR (routing, acknowledgment and error codes) are
 * kept, every other segment shows only its name and how many fields were hidden.
 */
public final class Hl7LogMask {

    private static final Set<String> KEPT = Set.of("MSH", "MSA", "QAK", "ERR");
    private static final Pattern SEGMENTS = Pattern.compile("\r\n|\r|\n");

    private Hl7LogMask() {
    }

    /** The message with PHI-bearing segments masked, segments separated by " / " on one log line. */
    public static String mask(String message) {
        if (message == null || message.isBlank()) {
            return "(empty)";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : SEGMENTS.split(message.strip())) {
            if (segment.isBlank()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(" / ");
            }
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            if (KEPT.contains(name)) {
                out.append(segment);
            } else {
                long fields = segment.chars().filter(c -> c == '|').count();
                out.append(name.matches("[A-Z][A-Z0-9]{2}") ? name : "???").append("|<").append(fields).append(" fields masked>");
            }
        }
        return out.toString();
    }
}
