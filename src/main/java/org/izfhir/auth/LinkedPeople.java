package org.izfhir.auth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.izfhir.record.PersonMatcher;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.PatientAccess;
import org.izfhir.record.RecordService;
import org.springframework.stereotype.Component;

/**
 * Links the people of an account to their consolidated records, by the same search by
 * demographics any client makes: a person is linked only when exactly one consolidated person
 * matches with certainty. A registry's candidate list is never shown; it says that the account's
 * details need completing. A dependent who has reached their state's proxy age
 * ({@link AuthProperties#proxyAge(String)}) is not offered.
 */
@Component
public class LinkedPeople {

    /**
     * One person of an account.
     *
     * @param name      given and family name
     * @param label     name and birth date, as shown to the account holder
     * @param self      whether it is the account holder
     * @param patientId the consolidated record's Patient id, or {@code null} when not linked
     * @param problem   why it is not linked, or {@code null}
     * @param proxyUntil for a dependent, the day from which the account holder may no longer act for
     *                  them (their state's proxy age); {@code null} for the holder
     */
    public record Link(String name, String label, boolean self, String patientId, String problem, LocalDate proxyUntil)
            implements java.io.Serializable {
    }

    private final RecordService records;
    private final AuthProperties properties;

    LinkedPeople(RecordService records, AuthProperties properties) {
        this.records = records;
        this.properties = properties;
    }

    /** The account's people, its holder first, each linked or not. */
    public List<Link> of(UserAccounts.Account account) {
        List<Link> links = new ArrayList<>();
        List<UserAccounts.Person> people = account.people();
        for (int i = 0; i < people.size(); i++) {
            links.add(link(people.get(i), i == 0));
        }
        return links;
    }

    private Link link(UserAccounts.Person person, boolean self) {
        var query = person.query();
        RecordService.Found found = records.find(query, PatientAccess.everyone(), false);
        List<PersonRecord> certain = found.records().stream()
                .filter(r -> records.match(query, r.patient()).grade() == PersonMatcher.Grade.CERTAIN).toList();
        if (certain.size() == 1) {
            PersonRecord record = certain.get(0);
            if (self) {
                return new Link(person.name(), person.label(), true, record.patientId(), null, null);
            }
            String state = record.patient().getAddressFirstRep().getState();
            int age = properties.proxyAge(state);
            LocalDate until = LocalDate.parse(person.birthdate()).plusYears(age);
            if (!LocalDate.now().isBefore(until)) {
                return new Link(person.name(), person.label(), false, null, "from the age of " + age
                        + (properties.proxyAges().containsKey(normal(state)) ? " in " + normal(state) : "")
                        + ", a person decides who sees their record: a parent may no longer open it for them", null);
            }
            return new Link(person.name(), person.label(), false, record.patientId(), null, until);
        }
        String problem;
        if (certain.size() > 1) {
            problem = "more than one record matches; the account's details need completing (phone, mother's maiden name)";
        } else if (!found.candidates().isEmpty()) {
            problem = "a registry needs more details to tell this person from others (phone, mother's maiden name)";
        } else {
            problem = "no registry holds a record that matches these details";
        }
        return new Link(person.name(), person.label(), self, null, problem, null);
    }

    private static String normal(String state) {
        return state == null ? "" : state.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
