package org.izfhir.auth;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.izfhir.YamlLists;
import org.izfhir.hl7.query.PersonQuery;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The people who sign in to let an app see immunization records: each account with the
 * demographics the registries know its holder by, and the dependents (children) the holder may
 * act for. Accounts come from YAML files ({@code users:} list); an account is linked to registry
 * records only through these demographics, by the same consolidated search any client makes.
 *
 * <pre>
 * users:
 *   - username: demo-parent
 *     password: "{noop}demo"              # {bcrypt}... in production
 *     person: {family: Wong, given: Linda, birthdate: "1991-02-22", gender: female, phone: "4125550133"}
 *     dependents:
 *       - {family: Chen, given: Ava, birthdate: "2023-05-10", gender: female}
 * </pre>
 */
public final class UserAccounts implements UserDetailsService {

    /** Demographics as the registries hold them. */
    public record Person(String family, String given, String middle, String birthdate, String gender, String phone,
                         String mothersMaidenName) {

        /** The query every registry is asked for this person. */
        PersonQuery query() {
            String sex = gender == null ? null : switch (gender.toLowerCase(Locale.ROOT)) {
                case "female", "f" -> "F";
                case "male", "m" -> "M";
                default -> "U";
            };
            return new PersonQuery(List.of(), family.trim(), given.trim(), middle, "", mothersMaidenName, "",
                    LocalDate.parse(birthdate), sex, null, phone, null, null);
        }

        /** Given and family name. */
        String name() {
            return given.trim() + " " + family.trim();
        }

        /** How the person is shown to the account holder: given name, family name and birth date. */
        String label() {
            return name() + ", born " + birthdate;
        }
    }

    /** One entry of a users file. */
    public record Account(String username, String password, Person person, List<Person> dependents) {

        /** The people this account may act for: its holder first, then the dependents. */
        public List<Person> people() {
            List<Person> people = new ArrayList<>();
            people.add(person);
            if (dependents != null) {
                people.addAll(dependents);
            }
            return people;
        }
    }

    private final Map<String, Account> accounts;

    private UserAccounts(Map<String, Account> accounts) {
        this.accounts = accounts;
    }

    /**
     * The accounts of these files.
     *
     * @throws IllegalStateException naming the file and every problem found
     */
    public static UserAccounts load(List<String> files, Environment environment) {
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (String file : files) {
            List<Account> entries;
            try {
                entries = YamlLists.bind(Path.of(file), "users", "account", Account.class, environment);
            } catch (YamlLists.Invalid e) {
                throw new IllegalStateException("users file " + Path.of(file).toAbsolutePath() + ": " + e.getMessage(), e);
            }
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                check(entries.get(i), YamlLists.entryName("account", i, entries.get(i).username()), problems, accounts);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("users file " + file + ": " + String.join("; ", problems));
            }
        }
        return new UserAccounts(accounts);
    }

    private static void check(Account account, String where, List<String> problems, Map<String, Account> accounts) {
        if (account.username() == null || account.username().isBlank()) {
            problems.add(where + ": a username is required");
            return;
        }
        if (accounts.putIfAbsent(account.username(), account) != null) {
            problems.add(where + ": username '" + account.username() + "' is used by an earlier entry");
        }
        if (account.password() == null || account.password().isBlank()) {
            problems.add(where + ": a password is required ({bcrypt}... or {noop}...)");
        }
        if (account.person() == null) {
            problems.add(where + ": person (the account holder's demographics) is required");
            return;
        }
        List<Person> people = account.people();
        for (int p = 0; p < people.size(); p++) {
            Person person = people.get(p);
            String at = where + (p == 0 ? ".person" : ".dependents[" + (p - 1) + "]");
            if (person.family() == null || person.given() == null || person.birthdate() == null) {
                problems.add(at + ": family, given and birthdate are required");
                continue;
            }
            try {
                LocalDate.parse(person.birthdate());
            } catch (DateTimeParseException e) {
                problems.add(at + ": birthdate '" + person.birthdate() + "' is not YYYY-MM-DD");
            }
        }
    }

    /** The account of a user name. */
    public Optional<Account> account(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        Account account = accounts.get(username);
        if (account == null) {
            throw new UsernameNotFoundException("no such account");
        }
        return User.withUsername(account.username()).password(account.password()).roles("USER").build();
    }
}
