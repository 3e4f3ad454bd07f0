package org.izfhir.codes;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CDC vaccine code sets held in memory: CVX, MVX, NDC to CVX/MVX, and CVX to vaccine group.
 * Immutable once built, so any number of threads may ask it at once.
 *
 * <p>Codes are looked up in the forms systems really send: CVX with or without a leading zero
 * ({@code "3"}, {@code "03"}), MVX in any case, NDC as 11 digits or hyphenated 10 or 11 digits.
 * Build one with {@link CodeSetLoader}.
 */
public final class Codes {

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final Map<String, Vaccine> vaccines;
    private final Map<String, Manufacturer> manufacturers;
    private final Map<String, List<VaccineGroup>> groupsByCvx;
    private final Map<String, NdcProduct> ndcProducts;
    private final Map<String, java.util.Set<String>> makersByCvx;

    Codes(Collection<Vaccine> vaccines, Collection<Manufacturer> manufacturers,
          Map<String, List<VaccineGroup>> groupsByCvx, Collection<NdcProduct> ndcProducts,
          Map<String, java.util.Set<String>> makersByCvx) {
        this.vaccines = index(vaccines, Vaccine::cvx);
        this.manufacturers = index(manufacturers, Manufacturer::mvx);
        this.groupsByCvx = Map.copyOf(groupsByCvx.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> List.copyOf(entry.getValue()))));
        this.ndcProducts = index(ndcProducts, NdcProduct::ndc);
        this.makersByCvx = Map.copyOf(makersByCvx.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> java.util.Set.copyOf(entry.getValue()))));
    }

    /**
     * Whether CDC's product names say that this manufacturer makes this vaccine; empty when CDC
     * lists no product of the CVX (unspecified formulations, for one), so nothing can be said.
     */
    public Optional<Boolean> makes(String mvx, String cvx) {
        java.util.Set<String> makers = cvx == null ? null : makersByCvx.get(normalizeCvx(cvx));
        return makers == null || mvx == null ? Optional.empty() : Optional.of(makers.contains(normalizeMvx(mvx)));
    }

    private static <T> Map<String, T> index(Collection<T> values, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T value : values) {
            if (map.putIfAbsent(key.apply(value), value) != null) {
                throw new IllegalArgumentException("duplicate code " + key.apply(value));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The vaccine of a CVX code, in whatever form the code was sent. */
    public Optional<Vaccine> vaccine(String cvx) {
        return cvx == null ? Optional.empty() : Optional.ofNullable(vaccines.get(normalizeCvx(cvx)));
    }

    /** The manufacturer of an MVX code, case-insensitively. */
    public Optional<Manufacturer> manufacturer(String mvx) {
        return mvx == null ? Optional.empty() : Optional.ofNullable(manufacturers.get(normalizeMvx(mvx)));
    }

    /**
     * The vaccine groups a CVX code belongs to: one for most vaccines, several for combinations
     * (MMRV is MMR and VARICELLA), none for an unknown code.
     */
    public List<VaccineGroup> vaccineGroups(String cvx) {
        return cvx == null ? List.of() : groupsByCvx.getOrDefault(normalizeCvx(cvx), List.of());
    }

    /** The product an NDC names, whether the NDC is the unit of use or the unit of sale. */
    public Optional<NdcProduct> ndc(String ndc) {
        if (ndc == null) {
            return Optional.empty();
        }
        return ndcCandidates(ndc).stream().map(ndcProducts::get).filter(Objects::nonNull).findFirst();
    }

    /** Every CVX code, in CDC's order. */
    public Collection<Vaccine> vaccines() {
        return vaccines.values();
    }

    /** Every MVX code, in CDC's order. */
    public Collection<Manufacturer> manufacturers() {
        return manufacturers.values();
    }

    /** Every NDC CDC links to a vaccine. */
    public Collection<NdcProduct> ndcProducts() {
        return ndcProducts.values();
    }

    /** The CVX to vaccine group map, keyed by normalized CVX code. */
    public Map<String, List<VaccineGroup>> vaccineGroupsByCvx() {
        return groupsByCvx;
    }

    /** The latest date CDC changed any CVX entry: the version of the CVX snapshot held. */
    public Optional<LocalDate> cvxVersion() {
        return vaccines.values().stream().map(Vaccine::lastUpdated).filter(Objects::nonNull).max(LocalDate::compareTo);
    }

    /** The latest date CDC changed any MVX entry: the version of the MVX snapshot held. */
    public Optional<LocalDate> mvxVersion() {
        return manufacturers.values().stream().map(Manufacturer::lastUpdated).filter(Objects::nonNull)
                .max(LocalDate::compareTo);
    }

    /**
     * The canonical form of a CVX code: trimmed, and for numeric codes without extra leading zeros
     * but at least two digits ({@code "3"} and {@code "003"} become {@code "03"}), as CDC writes them.
     */
    public static String normalizeCvx(String cvx) {
        String code = cvx.trim();
        if (code.isEmpty() || !DIGITS.matcher(code).matches()) {
            return code;
        }
        String digits = code.replaceFirst("^0+(?=\\d)", "");
        return digits.length() == 1 ? "0" + digits : digits;
    }

    static String normalizeMvx(String mvx) {
        return mvx.trim().toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The 11-digit (5-4-2) forms an NDC as written may stand for. A hyphenated code has one; ten
     * digits without hyphens are ambiguous (4-4-2, 5-3-2 or 5-4-1) and have three.
     */
    static List<String> ndcCandidates(String ndc) {
        String code = ndc.trim();
        String[] parts = code.split("-", -1);
        if (parts.length == 3 && DIGITS.matcher(code.replace("-", "")).matches()) {
            String padded = pad(parts[0], 5) + pad(parts[1], 4) + pad(parts[2], 2);
            return padded.length() == 11 ? List.of(padded) : List.of();
        }
        if (!DIGITS.matcher(code).matches()) {
            return List.of();
        }
        if (code.length() == 11) {
            return List.of(code);
        }
        if (code.length() == 10) {
            List<String> candidates = new ArrayList<>(3);
            candidates.add("0" + code);
            candidates.add(code.substring(0, 5) + "0" + code.substring(5));
            candidates.add(code.substring(0, 9) + "0" + code.substring(9));
            return candidates;
        }
        return List.of();
    }

    private static String pad(String part, int width) {
        return part.length() >= width ? part : "0".repeat(width - part.length()) + part;
    }
}
