package org.izfhir.demo;

import static org.izfhir.demo.DemoIis.birthDate;
import static org.izfhir.demo.DemoIis.digits;
import static org.izfhir.demo.DemoIis.normal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.izfhir.hl7.v2.Segment;

/**
 * The people one demo registry keeps: made and updated from VXU messages, found for QBP queries
 * the way a registry matches (an identifier, else demographics). Indexed by birth date and by
 * identifier, so that a query or an update looks at a few people, not all of them.
 */
final class DemoPeople {

    private final String registryId;
    private final String application;
    private final List<Person> people = new ArrayList<>();
    private final Map<LocalDate, List<Person>> byBirthDate = new HashMap<>();
    private final Map<String, List<Person>> byIdentifierValue = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong(1000);

    DemoPeople(String registryId, String application) {
        this.registryId = registryId;
        this.application = application;
    }

    synchronized int size() {
        return people.size();
    }

    /** Keeps a VXU's person and doses: a known person (same identifier, or same name and birth date) gains them. */
    synchronized void keep(Segment pid, List<String> nextOfKin, String pd1, List<List<String>> orders) {
        LinkedHashSet<Person> candidates = new LinkedHashSet<>();
        for (String identifier : pid.rawRepetitions(3)) {
            candidates.addAll(withIdentifier(pid.component(identifier, 1)));
        }
        LocalDate born = birthDate(pid.get(7));
        if (born != null) {
            candidates.addAll(byBirthDate.getOrDefault(born, List.of()));
        }
        Person person = candidates.stream().filter(p -> p.sameAs(pid)).findFirst().orElse(null);
        if (person == null) {
            person = new Person(registryId + sequence.incrementAndGet() + "^^^" + application + "^SR", pid);
            people.add(person);
        }
        person.add(pid, nextOfKin, pd1, orders);
        index(person);
    }

    private void index(Person person) {
        LocalDate born = person.birthDate();
        if (born != null) {
            List<Person> sameDay = byBirthDate.computeIfAbsent(born, day -> new ArrayList<>());
            if (!sameDay.contains(person)) {
                sameDay.add(person);
            }
        }
        for (String identifier : person.identifiers()) {
            List<Person> holders = byIdentifierValue.computeIfAbsent(
                    identifier.split("\\^", -1)[0].toUpperCase(Locale.ROOT), value -> new ArrayList<>());
            if (!holders.contains(person)) {
                holders.add(person);
            }
        }
    }

    private List<Person> withIdentifier(String value) {
        return value == null || value.isBlank() ? List.of()
                : byIdentifierValue.getOrDefault(value.toUpperCase(Locale.ROOT), List.of());
    }

    /** The people a QPD describes: by an identifier, else by birth date, family and given name and sex, narrowed by the rest. */
    synchronized List<Person> find(Segment qpd) {
        List<Person> byIdentifier = new ArrayList<>();
        for (String identifier : qpd.rawRepetitions(3)) {
            String value = qpd.component(identifier, 1);
            String authority = qpd.component(identifier, 4);
            if (!value.isBlank()) {
                withIdentifier(value).stream().filter(p -> p.hasIdentifier(value, authority) && !byIdentifier.contains(p))
                        .forEach(byIdentifier::add);
            }
        }
        if (!byIdentifier.isEmpty()) {
            return byIdentifier;
        }
        String family = normal(qpd.get(4, 1));
        String given = normal(qpd.get(4, 2));
        LocalDate birthDate = birthDate(qpd.get(6));
        String sex = qpd.get(7).toUpperCase(Locale.ROOT);
        List<Person> found = byBirthDate.getOrDefault(birthDate, List.of()).stream()
                .filter(p -> birthDate.equals(p.birthDate()))
                .filter(p -> p.familyMatches(family))
                .filter(p -> sex.isBlank() || p.sex().isBlank() || sex.equals("U") || sex.equals(p.sex()))
                .filter(p -> p.givenMatches(given))
                .toList();
        found = narrow(found, p -> p.given().equals(given));
        String mother = normal(qpd.get(5, 1));
        if (!mother.isEmpty()) {
            found = narrow(found, p -> p.motherMaidenName().equals(mother));
        }
        String zip = qpd.get(8, 5);
        if (!zip.isBlank()) {
            found = narrow(found, p -> p.zip().startsWith(zip.length() > 5 ? zip.substring(0, 5) : zip));
        }
        String phone = digits(qpd.get(9, 6) + qpd.get(9, 7) + (qpd.get(9, 6).isBlank() ? qpd.get(9, 1) : ""));
        if (!phone.isEmpty()) {
            found = narrow(found, p -> p.phone().endsWith(phone.length() > 7 ? phone.substring(phone.length() - 7) : phone));
        }
        return found;
    }

    /** Keeps only the people the test picks, when it picks some: a detail narrows, it never excludes everyone. */
    private static List<Person> narrow(List<Person> people, Predicate<Person> test) {
        if (people.size() < 2) {
            return people;
        }
        List<Person> kept = people.stream().filter(test).toList();
        return kept.isEmpty() ? people : kept;
    }

    /** The RXA segments kept for each person of this family name and birth date. */
    synchronized List<List<String>> doses(String family, LocalDate birthDate) {
        return byBirthDate.getOrDefault(birthDate, List.of()).stream()
                .filter(p -> p.family().equals(normal(family)) && birthDate.equals(p.birthDate()))
                .map(p -> p.orders().stream().flatMap(List::stream).filter(s -> s.startsWith("RXA")).toList()).toList();
    }
}
