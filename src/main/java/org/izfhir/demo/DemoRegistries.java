package org.izfhir.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.izfhir.codes.Codes;
import org.izfhir.hl7.v2.MalformedMessageException;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo registries: one {@link DemoIis} per folder of the seeds folder, seeded from its VXU
 * files; their fault knobs, changeable while running; and a count of the calls each received.
 */
public final class DemoRegistries {

    private static final Logger log = LoggerFactory.getLogger(DemoRegistries.class);

    private final Map<String, DemoIis> registries = new LinkedHashMap<>();
    private final Map<String, DemoProperties.Knobs> startKnobs;
    private final Map<String, DemoProperties.Knobs> knobs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faultCallsLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    public DemoRegistries(DemoProperties properties, Codes codes, Clock clock) {
        DemoForecast forecast = new DemoForecast(codes);
        Map<String, DemoProperties.Knobs> configured = new LinkedHashMap<>();
        properties.registries().forEach((id, k) -> configured.put(id.toUpperCase(Locale.ROOT), k));
        this.startKnobs = Map.copyOf(configured);
        for (Path folder : folders(properties.seeds())) {
            String id = folder.getFileName().toString().toUpperCase(Locale.ROOT);
            DemoIis iis = new DemoIis(id, clock, forecast);
            seed(iis, folder);
            registries.put(id, iis);
            calls.put(id, new AtomicLong());
            log.info("Demo registry {}: {} people from {}", id, iis.size(), folder);
        }
        reset();
    }

    private static List<Path> folders(Path seeds) {
        if (!Files.isDirectory(seeds)) {
            log.warn("No demo registry: {} is not a folder", seeds);
            return List.of();
        }
        try (Stream<Path> entries = Files.list(seeds)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,31}"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the demo seeds in " + seeds, e);
        }
    }

    /** Sends each VXU of the folder's {@code .hl7} files to the registry; one it does not accept stops start-up. */
    private static void seed(DemoIis iis, Path folder) {
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        for (Path file : files) {
            List<Message> messages;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r');
                messages = new MessageReader().readAll(text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read demo seed " + file, e);
            } catch (MalformedMessageException e) {
                throw new IllegalStateException("demo seed " + file + " is not HL7: " + e.getMessage(), e);
            }
            for (int i = 0; i < messages.size(); i++) {
                String text = String.join("\r", messages.get(i).segments().stream().map(s -> s.text()).toList());
                String ack = iis.handle(text);
                if (!ack.contains("\rMSA|AA|")) {
                    throw new IllegalStateException("demo seed " + file + ", message " + (i + 1)
                            + ", was not accepted: " + ack.replace('\r', ' '));
                }
            }
        }
    }

    public Set<String> ids() {
        return registries.keySet();
    }

    Optional<DemoIis> get(String id) {
        return Optional.ofNullable(registries.get(id.toUpperCase(Locale.ROOT)));
    }

    /** Changes a registry's knobs while running (tests, demonstrations). */
    public void set(String id, DemoProperties.Knobs newKnobs) {
        String key = id.toUpperCase(Locale.ROOT);
        knobs.put(key, newKnobs);
        faultCallsLeft.put(key, new AtomicInteger(newKnobs.faultCalls()));
    }

    /** Every registry back to its start-up knobs. */
    public void reset() {
        for (String id : registries.keySet()) {
            set(id, startKnobs.getOrDefault(id, DemoProperties.Knobs.NONE));
        }
    }

    public DemoProperties.Knobs knobs(String id) {
        return knobs.getOrDefault(id.toUpperCase(Locale.ROOT), DemoProperties.Knobs.NONE);
    }

    /** How many SOAP calls this registry has received since start-up. */
    public long calls(String id) {
        AtomicLong count = calls.get(id.toUpperCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    /** How many queries, in all the demo registries, named this person (family and given name). */
    public long queriesAbout(String family, String given) {
        return registries.values().stream().mapToLong(iis -> iis.queriesAbout(family, given)).sum();
    }

    /**
     * The RXA segments this registry keeps for the people of this family name born on this date
     * (any given name: a newborn's placeholder and their legal name are one person), one list per person.
     */
    public List<List<String>> doses(String id, String family, LocalDate birthDate) {
        return get(id).map(iis -> iis.doses(family, birthDate)).orElse(List.of());
    }

    /** Counts a call and decides whether it gets the registry's fault. */
    DemoFault nextCall(String id) {
        String key = id.toUpperCase(Locale.ROOT);
        calls.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        DemoProperties.Knobs current = knobs(key);
        if (current.fault() == DemoFault.NONE) {
            return DemoFault.NONE;
        }
        if (current.faultCalls() > 0) {
            AtomicInteger left = faultCallsLeft.get(key);
            if (left == null || left.getAndDecrement() <= 0) {
                return DemoFault.NONE;
            }
        }
        return ThreadLocalRandom.current().nextDouble() < current.faultRate() ? current.fault() : DemoFault.NONE;
    }

    Duration latency(String id) {
        return knobs(id).latency();
    }
}
