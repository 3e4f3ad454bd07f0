package org.izfhir.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * How two names compare, as registries write them: accents, case and punctuation do not count;
 * nicknames ({@code nicknames.csv}), typos (Jaro-Winkler), hyphenated surnames and a newborn's
 * placeholder name ("Baby Boy") are recognized. Immutable and thread-safe.
 */
final class Names {

    /** How close two names are, from the same name down to two different names. */
    enum Likeness { SAME, NICKNAME, TYPO, PART, PLACEHOLDER, DIFFERENT, UNKNOWN }

    private static final Pattern ACCENTS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_LETTERS = Pattern.compile("[^A-Z -]");
    private static final Pattern SEPARATORS = Pattern.compile("[ -]+");
    private static final double TYPO_SIMILARITY = 0.88;

    /** Given names registries write for a newborn not yet named. */
    private static final Set<String> PLACEHOLDERS = Set.of("BABY", "BABY BOY", "BABY GIRL", "BABYBOY", "BABYGIRL",
            "BOY", "GIRL", "INFANT", "INFANT BOY", "INFANT GIRL", "NEWBORN", "NB", "BB", "BG", "BABY A", "BABY B",
            "TWIN A", "TWIN B", "MALE", "FEMALE", "NONAME", "NO NAME", "UNKNOWN", "UNNAMED");

    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();
    private static final Map<String, Set<Integer>> NICKNAME_GROUPS = loadNicknames();

    private Names() {
    }

    /** Upper case, accents and punctuation removed, spaces and hyphens kept single: "O'Connor-Lee " is "OCONNOR-LEE". */
    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        String plain = ACCENTS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD)).replaceAll("")
                .replace("'", "").replace("\u2019", "").toUpperCase(Locale.ROOT);
        plain = NOT_LETTERS.matcher(plain).replaceAll("");
        return plain.replaceAll(" +", " ").replaceAll(" ?- ?", "-").trim();
    }

    /** Whether a normalized given name is a newborn's placeholder ("BABY BOY", "INFANT GIRL", "NB"...). */
    static boolean isPlaceholder(String normalizedGiven) {
        return PLACEHOLDERS.contains(normalizedGiven.replace('-', ' '));
    }

    /** Two normalized family names: the same, a typo, or one part of a hyphenated or double name. */
    static Likeness family(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Likeness.UNKNOWN;
        }
        if (a.equals(b) || compact(a).equals(compact(b))) {
            return Likeness.SAME;
        }
        if (similar(compact(a), compact(b))) {
            return Likeness.TYPO;
        }
        Set<String> partsA = Set.of(SEPARATORS.split(a));
        for (String part : SEPARATORS.split(b)) {
            if (part.length() > 1 && partsA.contains(part)) {
                return Likeness.PART;
            }
        }
        return Likeness.DIFFERENT;
    }

    /** Two normalized given names: the same, nicknames of one another, a typo, an initial, or a placeholder. */
    static Likeness given(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Likeness.UNKNOWN;
        }
        if (isPlaceholder(a) || isPlaceholder(b)) {
            return Likeness.PLACEHOLDER;
        }
        if (a.equals(b) || compact(a).equals(compact(b))) {
            return Likeness.SAME;
        }
        String firstA = SEPARATORS.split(a)[0];
        String firstB = SEPARATORS.split(b)[0];
        if (firstA.equals(firstB)) {
            return Likeness.SAME;
        }
        if (nicknames(firstA, firstB)) {
            return Likeness.NICKNAME;
        }
        if (similar(firstA, firstB)) {
            return Likeness.TYPO;
        }
        if (firstA.length() == 1 && firstB.startsWith(firstA) || firstB.length() == 1 && firstA.startsWith(firstB)) {
            return Likeness.PART;
        }
        return Likeness.DIFFERENT;
    }

    private static boolean nicknames(String a, String b) {
        Set<Integer> groupsA = NICKNAME_GROUPS.get(a);
        Set<Integer> groupsB = NICKNAME_GROUPS.get(b);
        if (groupsA == null || groupsB == null) {
            return false;
        }
        for (Integer group : groupsA) {
            if (groupsB.contains(group)) {
                return true;
            }
        }
        return false;
    }

    private static boolean similar(String a, String b) {
        return Math.min(a.length(), b.length()) >= 4 && SIMILARITY.apply(a, b) >= TYPO_SIMILARITY;
    }

    private static String compact(String name) {
        return SEPARATORS.matcher(name).replaceAll("");
    }

    private static Map<String, Set<Integer>> loadNicknames() {
        Map<String, Set<Integer>> groups = new HashMap<>();
        try (InputStream in = Names.class.getResourceAsStream("/record/nicknames.csv")) {
            if (in == null) {
                throw new IllegalStateException("record/nicknames.csv is missing from the classpath");
            }
            List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            for (int group = 0; group < lines.size(); group++) {
                for (String name : lines.get(group).split(",")) {
                    groups.computeIfAbsent(normalize(name), k -> new HashSet<>()).add(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }
}
