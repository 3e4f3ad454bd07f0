package org.izfhir.auth;

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
 * details need completing.
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
     */
    public record Link(String name, String label, boolean self, String patientId, String problem) implements java.io.Serializable {
    }

    private final RecordService records;

    LinkedPeople(RecordService records) {
        this.records = records;
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
            return new Link(person.name(), person.label(), self, certain.get(0).patientId(), null);
        }
        String problem;
        if (certain.size() > 1) {
            problem = "more than one record matches; the account's details need completing (phone, mother's maiden name)";
        } else if (!found.candidates().isEmpty()) {
            problem = "a registry needs more details to tell this person from others (phone, mother's maiden name)";
        } else {
            problem = "no registry holds a record that matches these details";
        }
        return new Link(person.name(), person.label(), self, null, problem);
    }
}
