package org.izfhir.hl7.v2;

/**
 * The five delimiters of an HL7 v2 message (MSH-1 and MSH-2), and the escaping they imply.
 *
 * @see <a href="https://www.hl7.eu/HL7v2x/v251/std251/ch02.html#Heading13">HL7 v2.5.1 §2.5.4 message delimiters</a>
 */
public record Delimiters(char field, char component, char repetition, char escape, char subcomponent) {

    /** The delimiters every immunization message is sent with: {@code |^~\&}. */
    public static final Delimiters STANDARD = new Delimiters('|', '^', '~', '\\', '&');

    /** The encoding characters as written in MSH-2. */
    public String encodingCharacters() {
        return new String(new char[] {component, repetition, escape, subcomponent});
    }

    /** Escapes every delimiter in a value so that it can stand in a field, component or subcomponent. */
    public String escape(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String sequence = c == field ? "F" : c == component ? "S" : c == repetition ? "R"
                    : c == escape ? "E" : c == subcomponent ? "T" : c == '\r' ? ".br" : c == '\n' ? ".br" : null;
            if (sequence == null) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (c == '\n' && i > 0 && value.charAt(i - 1) == '\r') {
                continue; // CRLF is one line break
            }
            out.append(escape).append(sequence).append(escape);
        }
        return out == null ? value : out.toString();
    }

    /**
     * Resolves escape sequences: the delimiters ({@code \F\ \S\ \R\ \E\ \T\}), line breaks
     * ({@code \.br\}), hexadecimal data ({@code \Xhh..\}); formatting sequences ({@code \H\ \N\}) are
     * dropped. An unterminated or unknown sequence is kept as sent.
     */
    public String unescape(String value) {
        int first = value.indexOf(escape);
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length()).append(value, 0, first);
        int i = first;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != escape) {
                out.append(c);
                i++;
                continue;
            }
            int end = value.indexOf(escape, i + 1);
            if (end < 0) {
                out.append(value, i, value.length());
                break;
            }
            String sequence = value.substring(i + 1, end);
            if (!appendSequence(out, sequence)) {
                out.append(value, i, end + 1);
            }
            i = end + 1;
        }
        return out.toString();
    }

    private boolean appendSequence(StringBuilder out, String sequence) {
        switch (sequence) {
            case "F" -> out.append(field);
            case "S" -> out.append(component);
            case "R" -> out.append(repetition);
            case "E" -> out.append(escape);
            case "T" -> out.append(subcomponent);
            case ".br" -> out.append('\n');
            case "H", "N" -> { }
            default -> {
                return sequence.length() > 1 && sequence.charAt(0) == 'X' && appendHex(out, sequence.substring(1));
            }
        }
        return true;
    }

    private static boolean appendHex(StringBuilder out, String hex) {
        if (hex.length() % 2 != 0) {
            return false;
        }
        StringBuilder decoded = new StringBuilder(hex.length() / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            int high = Character.digit(hex.charAt(i), 16);
            int low = Character.digit(hex.charAt(i + 1), 16);
            if (high < 0 || low < 0) {
                return false;
            }
            decoded.append((char) (high * 16 + low));
        }
        out.append(decoded);
        return true;
    }
}
