package org.izfhir.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.izfhir.YamlLists;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.registry.soap.Transport;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Reads {@code registries.yaml}: binds it, resolves {@code ${ENV_VAR}} placeholders from the
 * environment, and checks every entry. All problems are reported at once, each naming the entry
 * and the key, so a bad file stops start-up with a message an operator can act on.
 */
public final class RegistriesFile {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern DESTINATION_ID = Pattern.compile("[\\w\\-]+"); // the hub schema's DestinationIdType
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

    /** One entry as written, before checks; kebab-case keys in the file. */
    record Entry(String id, String name, String endpoint, String transport, String destinationId, String facilityId,
                 String username, String password, String queryProfile, String sendingApplication,
                 String sendingFacility, String receivingApplication, String receivingFacility,
                 String processingId, List<String> states, Boolean submissions, String connectTimeout,
                 String readTimeout, TlsEntry tls) {
    }

    record TlsEntry(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
    }

    private RegistriesFile() {
    }

    /**
     * @throws InvalidRegistriesException naming every problem found
     */
    public static List<RegistryConfig> load(Path file, Environment environment) {
        List<Entry> entries;
        try {
            entries = YamlLists.bind(file, "registries", "registry", Entry.class, environment);
        } catch (YamlLists.Invalid e) {
            throw new InvalidRegistriesException(file, e.problems());
        }
        List<String> problems = new ArrayList<>();
        List<RegistryConfig> registries = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Checker checker = new Checker(i, entries.get(i), problems);
            Optional<RegistryConfig> registry = checker.check(file.toAbsolutePath().getParent());
            String id = entries.get(i).id();
            if (id != null && !ids.add(id.toUpperCase(Locale.ROOT))) {
                problems.add(checker.where("id") + ": '" + id + "' is used by an earlier entry; ids must be unique");
            }
            registry.ifPresent(registries::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRegistriesException(file, problems);
        }
        return List.copyOf(registries);
    }

    /** Checks one entry and collects its problems. */
    private static final class Checker {

        private final int index;
        private final Entry entry;
        private final List<String> problems;
        private final int problemsBefore;

        Checker(int index, Entry entry, List<String> problems) {
            this.index = index;
            this.entry = entry;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        String where(String key) {
            return YamlLists.entryName("registry", index, entry.id()) + ", key '" + key + "'";
        }

        private void problem(String key, String text) {
            problems.add(where(key) + ": " + text);
        }

        Optional<RegistryConfig> check(Path baseDirectory) {
            String id = required("id", entry.id());
            if (id != null && !ID.matcher(id).matches()) {
                problem("id", "'" + id + "' must be 1 to 32 letters, digits, '-' or '_'");
            }
            String endpoint = endpoint();
            Transport transport = transport();
            String destinationId = resolved("destination-id", entry.destinationId());
            if (transport == Transport.IZGW_HUB) {
                if (destinationId == null) {
                    problem("destination-id", "is missing; the izgw-hub transport needs the hub's DestinationId");
                } else if (!DESTINATION_ID.matcher(destinationId).matches()) {
                    problem("destination-id", "'" + destinationId + "' may hold only letters, digits, '_' and '-'");
                }
            } else if (destinationId != null && transport != null) {
                problem("destination-id", "is used by the izgw-hub transport only, not by " + transport.configName());
            }
            String facilityId = resolved("facility-id", entry.facilityId());
            String username = resolved("username", entry.username());
            String password = resolved("password", entry.password());
            QueryProfile profile = queryProfile();
            MessageHeader header = header(id, facilityId);
            Set<String> states = states();
            Duration connectTimeout = duration("connect-timeout", entry.connectTimeout(), DEFAULT_CONNECT_TIMEOUT);
            Duration readTimeout = duration("read-timeout", entry.readTimeout(), DEFAULT_READ_TIMEOUT);
            RegistryConfig.Tls tls = tls(baseDirectory);
            if (problems.size() > problemsBefore) {
                return Optional.empty();
            }
            String name = resolved("name", entry.name());
            return Optional.of(new RegistryConfig(id, name == null ? id : name, endpoint, transport, destinationId,
                    facilityId, username, password, profile, header, states, !Boolean.FALSE.equals(entry.submissions()),
                    connectTimeout, readTimeout, tls));
        }

        private String required(String key, String value) {
            String resolved = resolved(key, value);
            if (resolved == null && (value == null || value.isBlank())) {
                problem(key, "is missing");
            }
            return resolved;
        }

        /** The value, null when blank; a placeholder the environment does not set is a problem. */
        private String resolved(String key, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            Matcher placeholder = PLACEHOLDER.matcher(value);
            if (placeholder.find()) {
                problem(key, "the placeholder ${" + placeholder.group(1) + "} is not set in the environment");
                return null;
            }
            return value.strip();
        }

        private String endpoint() {
            String endpoint = required("endpoint", entry.endpoint());
            if (endpoint == null) {
                return null;
            }
            try {
                URI uri = new URI(endpoint);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    problem("endpoint", "'" + endpoint + "' must be an absolute http or https URL");
                } else if (uri.getUserInfo() != null) {
                    problem("endpoint", "must not hold credentials; use 'username' and 'password'");
                }
            } catch (URISyntaxException e) {
                problem("endpoint", "'" + endpoint + "' is not a URL: " + e.getReason());
            }
            return endpoint;
        }

        private Transport transport() {
            String name = required("transport", entry.transport());
            if (name == null) {
                return null;
            }
            Optional<Transport> transport = Transport.fromConfigName(name);
            if (transport.isEmpty()) {
                problem("transport", "'" + name + "' is not one of cdc-2011, cdc-2014, izgw-hub");
            }
            return transport.orElse(null);
        }

        private QueryProfile queryProfile() {
            String profile = resolved("query-profile", entry.queryProfile());
            if (profile == null) {
                return QueryProfile.Z34;
            }
            try {
                return QueryProfile.valueOf(profile.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem("query-profile", "'" + profile + "' is not one of Z34, Z44");
                return null;
            }
        }

        private MessageHeader header(String id, String facilityId) {
            String processingId = Optional.ofNullable(resolved("processing-id", entry.processingId())).orElse("P");
            if (!Set.of("P", "T", "D").contains(processingId)) {
                problem("processing-id", "'" + processingId + "' is not one of P (production), T (training), D (debugging)");
                return null;
            }
            String fallback = id == null ? "" : id;
            return new MessageHeader(
                    Optional.ofNullable(resolved("sending-application", entry.sendingApplication())).orElse("IZFHIR"),
                    Optional.ofNullable(resolved("sending-facility", entry.sendingFacility()))
                            .orElse(facilityId == null ? "IZFHIR" : facilityId),
                    Optional.ofNullable(resolved("receiving-application", entry.receivingApplication())).orElse(fallback),
                    Optional.ofNullable(resolved("receiving-facility", entry.receivingFacility())).orElse(fallback),
                    processingId);
        }

        private Set<String> states() {
            Set<String> states = new LinkedHashSet<>();
            for (String state : entry.states() == null ? List.<String>of() : entry.states()) {
                String code = state == null ? "" : state.strip().toUpperCase(Locale.ROOT);
                if (!STATE.matcher(code).matches()) {
                    problem("states", "'" + state + "' is not a two-letter state code");
                }
                states.add(code);
            }
            return Set.copyOf(states);
        }

        private Duration duration(String key, String value, Duration fallback) {
            String text = resolved(key, value);
            if (text == null) {
                return fallback;
            }
            try {
                Duration duration = DurationStyle.detectAndParse(text);
                if (duration.isNegative() || duration.isZero()) {
                    problem(key, "'" + text + "' must be positive");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                problem(key, "'" + text + "' is not a duration (write 500ms, 5s, 1m)");
                return fallback;
            }
        }

        private RegistryConfig.Tls tls(Path baseDirectory) {
            TlsEntry tls = entry.tls();
            if (tls == null) {
                return null;
            }
            Path keyStore = store("tls.key-store", tls.keyStore(), tls.keyStorePassword(), "tls.key-store-password", baseDirectory);
            Path trustStore = store("tls.trust-store", tls.trustStore(), tls.trustStorePassword(), "tls.trust-store-password", baseDirectory);
            if (keyStore == null && trustStore == null) {
                return null;
            }
            return new RegistryConfig.Tls(keyStore, resolved("tls.key-store-password", tls.keyStorePassword()),
                    trustStore, resolved("tls.trust-store-password", tls.trustStorePassword()));
        }

        /** Opens a PKCS12 store now, so a wrong path or password stops start-up rather than the first call. */
        private Path store(String key, String location, String password, String passwordKey, Path baseDirectory) {
            String resolvedLocation = resolved(key, location);
            if (resolvedLocation == null) {
                return null;
            }
            String resolvedPassword = resolved(passwordKey, password);
            Path path = Path.of(resolvedLocation);
            if (!path.isAbsolute() && !Files.exists(path) && baseDirectory != null) {
                path = baseDirectory.resolve(resolvedLocation);
            }
            try (InputStream in = Files.newInputStream(path)) {
                KeyStore.getInstance("PKCS12").load(in, resolvedPassword == null ? null : resolvedPassword.toCharArray());
            } catch (java.nio.file.NoSuchFileException e) {
                problem(key, "'" + resolvedLocation + "' does not exist");
                return null;
            } catch (IOException | java.security.GeneralSecurityException e) {
                problem(key, "'" + resolvedLocation + "' cannot be opened as PKCS12 with that password ("
                        + YamlLists.firstLine(e.getMessage()) + ")");
                return null;
            }
            return path;
        }
    }
}
