package org.izfhir.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.izfhir.hl7.v2.MalformedMessageException;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.hl7.v2.Segment;
import org.izfhir.hl7.v2.SegmentWriter;

/**
 * A small immunization information system of one jurisdiction, in memory: it keeps what VXU
 * messages report, and answers QBP queries the way the CDC guide describes (Z32 or Z42 history,
 * Z31 candidates, Z33 no match, too many or error, PD for a protected record). It holds the
 * registry's own segments as received, as a registry would, and adds its own patient id.
 *
 * <p>Its people are kept in {@link DemoPeople}. Matching is deliberately registry-like: by an
 * identifier, else by family name, birth date and sex, with the given name or a newborn
 * placeholder name ("Baby Boy"); several matches are narrowed by mother's maiden name, ZIP code
 * and phone.
 */
final class DemoIis {

    private static final DateTimeFormatter MESSAGE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final Set<String> PLACEHOLDER_GIVEN = Set.of("BABY", "BABYBOY", "BABYGIRL", "BOY", "GIRL",
            "INFANT", "NEWBORN", "MALE", "FEMALE", "NB");

    private final String id;
    private final String application;
    private final Clock clock;
    private final DemoForecast forecast;
    private final DemoPeople people;
    private final AtomicLong sequence = new AtomicLong(1000);
    private final Map<String, Long> queriesByName = new HashMap<>();

    DemoIis(String id, Clock clock, DemoForecast forecast) {
        this.id = id;
        this.application = id + "IIS";
        this.clock = clock;
        this.forecast = forecast;
        this.people = new DemoPeople(id, application);
    }

    String id() {
        return id;
    }

    int size() {
        return people.size();
    }

    /** Answers any HL7 message: QBP with RSP, VXU with ACK, anything else with an ACK that rejects it. */
    /** How many queries named this person (family and given name, any case) since start-up. */
    synchronized long queriesAbout(String family, String given) {
        return queriesByName.getOrDefault(nameKey(family, given), 0L);
    }

    private static String nameKey(String family, String given) {
        return (family + "^" + given).toUpperCase(Locale.ROOT);
    }

    String handle(String text) {
        Message message;
        try {
            message = new MessageReader().read(text);
        } catch (MalformedMessageException e) {
            return ack(null, "AR", err("", "100", "Segment sequence error", "E", "The message could not be read: " + e.getMessage()));
        }
        return switch (message.type().toUpperCase(Locale.ROOT)) {
            case "QBP" -> query(message);
            case "VXU" -> update(message);
            default -> ack(message, "AR", err("MSH^1^9", "200", "Unsupported message type", "E",
                    "This registry accepts VXU and QBP messages, not " + message.type()));
        };
    }

    /** Rejects a message as a registry in trouble does: AE with an ERR "application internal error". */
    String reject(String text, String reason) {
        Message message;
        try {
            message = new MessageReader().read(text);
        } catch (MalformedMessageException e) {
            return handle(text);
        }
        String err = err("", "207", "Application internal error", "E", reason);
        if (message.type().equalsIgnoreCase("QBP")) {
            return answer(message, message.first("QPD").orElse(null), "AE", "AE", err);
        }
        return ack(message, "AE", err);
    }

    /** The RXA segments kept for each person of this family name and birth date. */
    List<List<String>> doses(String family, LocalDate birthDate) {
        return people.doses(family, birthDate);
    }

    /** Whether a message is a VXU (the WARN and REFUSE knobs act on submissions only). */
    boolean isUpdate(String text) {
        try {
            return new MessageReader().read(text).type().equalsIgnoreCase("VXU");
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    /** Keeps a VXU's dose and acknowledges AE with a warning, as registries do for a missing phone number. */
    String keepWithWarning(String text) {
        String ack = handle(text);
        if (!ack.contains("|AA|")) {
            return ack;
        }
        try {
            return ack(new MessageReader().read(text), "AE", err("PID^1^13", "101", "Required field missing", "W",
                    "Patient phone number is missing", "5", "Field missing", id + "-PHONE-01", "No phone number"));
        } catch (MalformedMessageException e) {
            return ack;
        }
    }

    /** Refuses a VXU: AR, with an error naming the lot number, and keeps nothing. */
    String refuse(String text) {
        try {
            return ack(new MessageReader().read(text), "AR", err("RXA^1^15", "102", "Data type error", "E",
                    "Lot number is not one this registry knows for the vaccine", "4", "Invalid value", id + "-LOT-07",
                    "Unknown lot"));
        } catch (MalformedMessageException e) {
            return handle(text);
        }
    }

    // ------------------------------------------------------------------ VXU

    private String update(Message vxu) {
        Segment pid = vxu.first("PID").orElse(null);
        if (pid == null || pid.get(5).isBlank() || pid.get(5, 2).isBlank() || pid.get(7).isBlank()) {
            return ack(vxu, "AR", err("PID^1^5", "101", "Required field missing", "E",
                    "Patient name and date of birth are required"));
        }
        List<List<String>> orders = orders(vxu);
        if (orders.isEmpty()) {
            return ack(vxu, "AE", err("RXA", "100", "Segment sequence error", "W", "No RXA: nothing was recorded"));
        }
        people.keep(pid, vxu.all("NK1").stream().map(Segment::text).toList(),
                vxu.first("PD1").map(Segment::text).orElse(null), orders);
        return ack(vxu, "AA", null);
    }

    /** The order groups of a message: ORC (or a bare RXA) and the RXR, OBX and NTE after it. */
    private static List<List<String>> orders(Message message) {
        List<List<String>> orders = new ArrayList<>();
        List<String> current = null;
        for (Segment segment : message.segments()) {
            switch (segment.name()) {
                case "ORC" -> {
                    current = new ArrayList<>(List.of(segment.text()));
                    orders.add(current);
                }
                case "RXA" -> {
                    if (current == null || current.stream().anyMatch(s -> s.startsWith("RXA"))) {
                        current = new ArrayList<>();
                        orders.add(current);
                    }
                    current.add(segment.text());
                }
                case "RXR", "OBX", "NTE" -> {
                    if (current != null) {
                        current.add(segment.text());
                    }
                }
                default -> current = segment.name().equals("PID") || segment.name().equals("NK1") ? null : current;
            }
        }
        orders.removeIf(order -> order.stream().noneMatch(s -> s.startsWith("RXA")));
        return orders;
    }

    // ------------------------------------------------------------------ QBP

    private synchronized String query(Message qbp) {
        Segment qpd = qbp.first("QPD").orElse(null);
        if (qpd != null) {
            queriesByName.merge(nameKey(qpd.get(4), qpd.get(4, 2)), 1L, Long::sum);
        }
        String profile = qbp.msh().get(21).isBlank() && qpd != null ? qpd.get(1) : qbp.msh().get(21);
        boolean evaluated = profile.equalsIgnoreCase("Z44");
        if (qpd == null) {
            return answer(qbp, null, "AE", "AE", err("QPD", "100", "Segment sequence error", "E", "The QPD segment is missing"));
        }
        if (qpd.get(4).isBlank() || qpd.get(4, 2).isBlank()) {
            return answer(qbp, qpd, "AE", "AE", err("QPD^1^4", "101", "Required field missing", "E", "Patient name is missing"));
        }
        if (qpd.get(6).isBlank()) {
            return answer(qbp, qpd, "AE", "AE", err("QPD^1^6", "101", "Required field missing", "E", "Date of Birth is missing"));
        }
        if (birthDate(qpd.get(6)) == null) {
            return answer(qbp, qpd, "AE", "AE", err("QPD^1^6", "102", "Data type error", "E", "Date of Birth is not a date"));
        }
        List<Person> found = people.find(qpd);
        int limit = limit(qbp);
        if (found.isEmpty()) {
            return answer(qbp, qpd, "AA", "NF", null);
        }
        if (found.size() > limit) {
            return answer(qbp, qpd, "AA", "TM", null);
        }
        if (found.size() > 1) {
            return candidates(qbp, qpd, found);
        }
        Person person = found.get(0);
        if (person.protectedRecord()) {
            return answer(qbp, qpd, "AA", "PD", null);
        }
        return history(qbp, qpd, person, evaluated);
    }

    private static int limit(Message qbp) {
        String quantity = qbp.first("RCP").map(rcp -> rcp.get(2)).orElse("");
        try {
            return quantity.isBlank() ? 10 : Math.max(1, Integer.parseInt(quantity.strip()));
        } catch (NumberFormatException e) {
            return 10;
        }
    }

    private String history(Message qbp, Segment qpd, Person person, boolean evaluated) {
        List<String> segments = new ArrayList<>();
        segments.add(header(qbp, "RSP^K11^RSP_K11", evaluated ? "Z42" : "Z32"));
        segments.add(msa(qbp, "AA"));
        segments.add(qak(qpd, "OK"));
        segments.add(qpd.text());
        segments.add(person.pid(1));
        if (person.pd1() != null) {
            segments.add(person.pd1());
        }
        segments.addAll(person.nextOfKin());
        person.orders().forEach(segments::addAll);
        if (evaluated) {
            segments.addAll(forecast.segments(person.birthDate(), person.doses(), LocalDate.now(clock), application));
        }
        return String.join("\r", segments) + "\r";
    }

    private String candidates(Message qbp, Segment qpd, List<Person> found) {
        List<String> segments = new ArrayList<>();
        segments.add(header(qbp, "RSP^K11^RSP_K11", "Z31"));
        segments.add(msa(qbp, "AA"));
        segments.add(qak(qpd, "OK"));
        segments.add(qpd.text());
        int setId = 1;
        for (Person person : found) {
            if (!person.protectedRecord()) {
                segments.add(person.pid(setId++));
                segments.addAll(person.nextOfKin());
            }
        }
        return String.join("\r", segments) + "\r";
    }

    /** An answer without a person: Z33 with QAK-2 NF, TM, PD or AE. */
    private String answer(Message qbp, Segment qpd, String ack, String status, String err) {
        List<String> segments = new ArrayList<>();
        segments.add(header(qbp, "RSP^K11^RSP_K11", "Z33"));
        segments.add(msa(qbp, ack));
        if (err != null) {
            segments.add(err);
        }
        if (qpd != null) {
            segments.add(qak(qpd, status));
            segments.add(qpd.text());
        }
        return String.join("\r", segments) + "\r";
    }

    // ------------------------------------------------------------------ segments

    private String ack(Message message, String code, String err) {
        List<String> segments = new ArrayList<>();
        String event = message == null ? "" : message.event();
        segments.add(header(message, "ACK^" + event + "^ACK", code.equals("AA") && "V04".equals(event) ? "Z23" : null));
        segments.add(msa(message, code));
        if (err != null) {
            segments.add(err);
        }
        return String.join("\r", segments) + "\r";
    }

    private String header(Message request, String type, String profile) {
        SegmentWriter msh = SegmentWriter.msh()
                .field(3, application).field(4, id)
                .field(5, request == null ? "" : request.msh().get(3))
                .field(6, request == null ? "" : request.msh().get(4))
                .field(7, ZonedDateTime.now(clock).format(MESSAGE_TIME))
                .field(10, application + "-" + sequence.incrementAndGet())
                .field(11, request == null || request.msh().get(11).isBlank() ? "P" : request.msh().get(11))
                .field(12, "2.5.1")
                .field(15, "NE").field(16, "NE");
        String[] parts = type.split("\\^");
        msh.field(9, parts);
        if (profile != null) {
            msh.field(21, profile, "CDCPHINVS");
        }
        return msh.build();
    }

    private static String msa(Message request, String code) {
        return new SegmentWriter("MSA").field(1, code).field(2, request == null ? "" : request.controlId()).build();
    }

    private static String qak(Segment qpd, String status) {
        return "QAK|" + qpd.rawField(2) + "|" + status + "|" + qpd.rawField(1);
    }

    private static String err(String location, String code, String text, String severity, String message) {
        SegmentWriter err = new SegmentWriter("ERR");
        if (!location.isEmpty()) {
            err.field(2, location.split("\\^"));
        }
        return err.field(3, code, text, "HL70357").field(4, severity).field(8, message).build();
    }

    /** An ERR with an application error (ERR-5, table 0533) and the registry's own code as its alternate triplet. */
    private static String err(String location, String code, String text, String severity, String message,
                              String applicationCode, String applicationText, String localCode, String localText) {
        SegmentWriter err = new SegmentWriter("ERR");
        err.field(2, location.split("\\^"));
        return err.field(3, code, text, "HL70357").field(4, severity)
                .field(5, applicationCode, applicationText, "HL70533", localCode, localText, "L")
                .field(8, message).build();
    }

    static LocalDate birthDate(String value) {
        String date = value == null ? "" : value.strip();
        if (date.length() < 8) {
            return null;
        }
        try {
            return LocalDate.parse(date.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Upper-case letters only: "O'Connor" and "OCONNOR" are one name. */
    static String normal(String name) {
        return name == null ? "" : name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "");
    }

    static String digits(String value) {
        return value == null ? "" : value.replaceAll("[^0-9]", "");
    }

    static boolean placeholderGiven(String normalGiven) {
        return normalGiven.isEmpty() || PLACEHOLDER_GIVEN.contains(normalGiven);
    }
}
