package org.izfhir.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.izfhir.hl7.v2.Segment;

/**
 * One person in a demo registry: the registry's own identifier, the latest PID it was sent,
 * and every dose reported, kept as the segments received. Guarded by its {@link DemoIis}.
 */
final class Person {

    private final Set<String> identifiers = new LinkedHashSet<>();
    private final List<String> nextOfKin = new ArrayList<>();
    private final List<List<String>> orders = new ArrayList<>();
    private Segment pid;
    private String pd1;

    Person(String registryIdentifier, Segment pid) {
        this.identifiers.add(registryIdentifier);
        this.pid = pid;
    }

    void add(Segment pid, List<String> nextOfKin, String pd1, List<List<String>> orders) {
        this.pid = pid;
        identifiers.addAll(pid.rawRepetitions(3).stream().filter(id -> !id.isBlank()).toList());
        nextOfKin.stream().filter(nk1 -> !this.nextOfKin.contains(nk1)).forEach(this.nextOfKin::add);
        if (pd1 != null) {
            this.pd1 = pd1;
        }
        for (List<String> order : orders) {
            String rxa = order.stream().filter(s -> s.startsWith("RXA")).findFirst().orElseThrow();
            String filler = fillerOrder(order);
            // the same order (ORC-3) is an update or a deletion of the dose kept; else, as registries de-duplicate,
            // a dose of the same date and vaccine is the same dose
            int kept = indexOf(o -> !filler.isEmpty() && filler.equals(fillerOrder(o)));
            if (kept < 0) {
                kept = indexOf(o -> o.stream().anyMatch(segment -> sameDose(segment, rxa)));
            }
            boolean delete = field(rxa, 21).equals("D");
            if (kept >= 0 && (delete || !filler.isEmpty())) {
                this.orders.remove(kept);
            }
            if (!delete && (kept < 0 || !filler.isEmpty())) {
                this.orders.add(kept >= 0 ? kept : this.orders.size(), List.copyOf(order));
            }
        }
    }

    private int indexOf(java.util.function.Predicate<List<String>> test) {
        for (int i = 0; i < orders.size(); i++) {
            if (test.test(orders.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** ORC-3, the filler order number (id and assigning authority); empty when none, or the guide's 9999. */
    private static String fillerOrder(List<String> order) {
        String orc = order.stream().filter(s -> s.startsWith("ORC")).findFirst().orElse("");
        String[] id = field(orc, 3).split("\\^", -1);
        String value = id[0] + (id.length > 1 ? "^" + id[1] : "");
        return id[0].isEmpty() || id[0].equals("9999") ? "" : value;
    }

    private static String field(String segment, int n) {
        String[] fields = segment.split("\\|", -1);
        return fields.length > n ? fields[n] : "";
    }

    /** Same RXA-3 (date) and RXA-5 (vaccine): a resend of a dose already kept. */
    private static boolean sameDose(String segment, String rxa) {
        if (!segment.startsWith("RXA")) {
            return false;
        }
        String[] a = segment.split("\\|", -1);
        String[] b = rxa.split("\\|", -1);
        return a.length > 5 && b.length > 5 && a[3].equals(b[3]) && a[5].split("\\^")[0].equals(b[5].split("\\^")[0]);
    }

    /**
     * Whether a VXU's PID is this person: a shared identifier, or the same name, birth date, sex
     * and mother's maiden name (two children can share a name and a birthday).
     */
    boolean sameAs(Segment other) {
        for (String identifier : other.rawRepetitions(3)) {
            if (hasIdentifier(other.component(identifier, 1), other.component(identifier, 4))) {
                return true;
            }
        }
        return DemoIis.normal(other.get(5, 1)).equals(family()) && DemoIis.normal(other.get(5, 2)).equals(given())
                && other.get(7).startsWith(pid.get(7).length() >= 8 ? pid.get(7).substring(0, 8) : pid.get(7))
                && other.get(8).equalsIgnoreCase(sex())
                && DemoIis.normal(other.get(6, 1)).equals(motherMaidenName());
    }

    Set<String> identifiers() {
        return identifiers;
    }

    boolean hasIdentifier(String value, String authority) {
        for (String identifier : identifiers) {
            String[] parts = identifier.split("\\^", -1);
            boolean sameValue = parts[0].equalsIgnoreCase(value);
            boolean sameAuthority = authority == null || authority.isBlank()
                    || parts.length > 3 && parts[3].split("&")[0].equalsIgnoreCase(authority);
            if (sameValue && sameAuthority) {
                return true;
            }
        }
        return false;
    }

    /** The PID as the registry answers it: set id, and every identifier it knows (its own first). */
    String pid(int setId) {
        String[] fields = pid.text().split("\\|", -1);
        List<String> out = new ArrayList<>(List.of(fields));
        while (out.size() < 4) {
            out.add("");
        }
        out.set(1, String.valueOf(setId));
        out.set(3, String.join("~", identifiers));
        return String.join("|", out);
    }

    String pd1() {
        return pd1;
    }

    List<String> nextOfKin() {
        return nextOfKin;
    }

    List<List<String>> orders() {
        return orders;
    }

    /** Every dose as (date, CVX) for the forecast; refusals and not-administered records are left out. */
    List<DemoForecast.Dose> doses() {
        List<DemoForecast.Dose> doses = new ArrayList<>();
        for (List<String> order : orders) {
            for (String segment : order) {
                if (segment.startsWith("RXA")) {
                    String[] f = segment.split("\\|", -1);
                    String completion = f.length > 20 ? f[20] : "";
                    LocalDate date = DemoIis.birthDate(f.length > 3 ? f[3] : "");
                    if (date != null && (completion.isBlank() || completion.equalsIgnoreCase("CP")
                            || completion.equalsIgnoreCase("PA"))) {
                        doses.add(new DemoForecast.Dose(date, f[5].split("\\^")[0]));
                    }
                }
            }
        }
        return doses;
    }

    String family() {
        return DemoIis.normal(pid.get(5, 1));
    }

    String given() {
        return DemoIis.normal(pid.get(5, 2));
    }

    LocalDate birthDate() {
        return DemoIis.birthDate(pid.get(7));
    }

    String sex() {
        return pid.get(8).toUpperCase(Locale.ROOT);
    }

    String motherMaidenName() {
        return DemoIis.normal(pid.get(6, 1));
    }

    String zip() {
        return pid.get(11, 5);
    }

    String phone() {
        return DemoIis.digits(pid.get(13, 6) + pid.get(13, 7));
    }

    /** PD1-12 protection indicator Y: the registry does not disclose this record. */
    boolean protectedRecord() {
        if (pd1 == null) {
            return false;
        }
        String[] fields = pd1.split("\\|", -1);
        return fields.length > 12 && fields[12].equalsIgnoreCase("Y");
    }

    /** Family names match when equal, or when one hyphenated part of either equals the other. */
    boolean familyMatches(String normalFamily) {
        if (family().equals(normalFamily)) {
            return true;
        }
        for (String part : pid.get(5, 1).split("[- ]")) {
            if (DemoIis.normal(part).equals(normalFamily)) {
                return true;
            }
        }
        return false;
    }

    /** Given names match when equal, by initial, or when this record still has a newborn's placeholder name. */
    boolean givenMatches(String normalGiven) {
        String given = given();
        if (DemoIis.placeholderGiven(given) || given.equals(normalGiven)) {
            return true;
        }
        return normalGiven.length() == 1 && given.startsWith(normalGiven);
    }
}
