package org.izfhir.hl7.response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.hl7.v2.MalformedMessageException;
import org.izfhir.hl7.v2.Message;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.hl7.v2.Segment;

/**
 * Reads a registry's answer to a query (RSP^K11: Z31, Z32, Z33, Z42) or to a message (ACK) into
 * a {@link RegistryResponse} with FHIR R4 resources; a VXU reads as the history it carries. Never throws: whatever the text, the result
 * says what it is, {@link Kind#UNREADABLE} included. Thread-safe and stateless.
 *
 * <p>The kind of answer is decided by QAK-2 and MSA-1 and by the segments present, as registries
 * really answer: candidate lists labelled Z33 or Z31, queries answered with {@code ACK^Q11},
 * forecasts under a Z32 header.
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, chapter 7 (query and response)</a>
 */
public final class ResponseReader {

    private final MessageReader reader;

    public ResponseReader() {
        this(new MessageReader());
    }

    public ResponseReader(MessageReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * Reads one answer.
     *
     * @param text     the HL7 message as received
     * @param registry the id of the registry that sent it, for identifier systems and provenance
     */
    public RegistryResponse read(String text, String registry) {
        Message message;
        try {
            message = reader.read(text);
        } catch (MalformedMessageException e) {
            return RegistryResponse.unreadable(e.reason() + ": " + e.getMessage());
        }
        try {
            return new Assembly(message, registry).assemble();
        } catch (RuntimeException e) {
            // A defect of ours must not escape as an unchecked exception either; the class name only, no content.
            return RegistryResponse.unreadable("the answer could not be mapped (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The work of reading one message. */
    private static final class Assembly {
        private final Message message;
        private final String registry;
        private final PatientMapper patients;
        private final OrderGroupMapper orders;
        private final List<Patient> persons = new ArrayList<>();
        private final List<Immunization> immunizations = new ArrayList<>();
        private final List<ImmunizationEvaluation> evaluations = new ArrayList<>();
        private final List<Observation> findings = new ArrayList<>();
        private final List<ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent> recommendations =
                new ArrayList<>();
        private Reference authority;
        private int skipped;

        Assembly(Message message, String registry) {
            this.message = message;
            this.registry = registry;
            this.patients = new PatientMapper(registry);
            this.orders = new OrderGroupMapper(registry);
        }

        RegistryResponse assemble() {
            String type = message.type().trim().toUpperCase(Locale.ROOT);
            RegistryResponse.Header header = header();
            List<Hl7Error> errors = errors();
            if (!type.equals("RSP") && !type.equals("ACK") && !type.equals("VXU")) {
                return new RegistryResponse(Kind.UNREADABLE, header, errors, null, List.of(), List.of(), List.of(),
                        null, List.of(), 0, "the answer is a " + (type.isEmpty() ? "message without type" : type)
                        + " message, not an RSP or ACK");
            }
            walkGroups();
            Kind kind = kind(type, header, errors);
            Patient patient = persons.size() == 1 && kind != Kind.CANDIDATES ? persons.get(0) : null;
            List<Patient> candidates = kind == Kind.CANDIDATES ? persons : List.of();
            ImmunizationRecommendation forecast = forecast(patient);
            boolean withData = kind == Kind.HISTORY || kind == Kind.HISTORY_AND_FORECAST;
            return new RegistryResponse(kind, header, errors, patient, candidates,
                    withData ? immunizations : List.of(), withData ? evaluations : List.of(),
                    withData ? forecast : null, withData ? findings : List.of(), skipped, "");
        }

        private RegistryResponse.Header header() {
            Segment msh = message.msh();
            Segment msa = message.first("MSA").orElse(null);
            Segment qak = message.first("QAK").orElse(null);
            return new RegistryResponse.Header(msh.get(9, 1) + (msh.get(9, 2).isEmpty() ? "" : "^" + msh.get(9, 2)),
                    msh.get(10), msa == null ? "" : msa.get(1).trim(), msa == null ? "" : msa.get(2),
                    qak == null ? "" : qak.get(1), qak == null ? "" : qak.get(2).trim(), msh.get(21, 1),
                    msh.get(3, 1), msh.get(4, 1));
        }

        private List<Hl7Error> errors() {
            List<Hl7Error> errors = new ArrayList<>();
            for (Segment err : message.all("ERR")) {
                String location = location(err);
                String text = errorText(err);
                errors.add(new Hl7Error(location, err.get(3, 1).trim(), err.get(3, 2).trim(),
                        Hl7Error.Severity.of(err.get(4)), err.get(5, 1).trim(), err.get(5, 2).trim(),
                        err.get(5, 4).trim(), err.get(5, 5).trim(), text.trim()));
            }
            // Registries that send no ERR sometimes explain in MSA-3 (withdrawn in 2.5.1, still seen).
            message.first("MSA").filter(msa -> errors.isEmpty() && !msa.get(3).isBlank()
                    && !msa.get(1).trim().toUpperCase(Locale.ROOT).endsWith("A"))
                    .ifPresent(msa -> errors.add(Hl7Error.ofText(msa.get(3).trim())));
            return errors;
        }

        /**
         * ERR-8 user message, else ERR-7 diagnostics; some senders (the IG's own example) put the
         * message one field late, in ERR-9, whose real content is a one-letter code; last, the
         * text of the application error code.
         */
        private static String errorText(Segment err) {
            for (String text : new String[] {err.get(8), err.get(7), err.get(9).trim().length() > 2 ? err.get(9) : ""}) {
                if (!text.isBlank()) {
                    return text;
                }
            }
            return err.get(5, 2).isBlank() ? err.get(3, 2) : err.get(5, 2);
        }

        /** ERR-2 (ERL: segment^sequence^field^repetition^component) as "PID-7" or "OBX[2]-5", or ERR-1 (ELD) of older senders. */
        private static String location(Segment err) {
            String segment = err.get(2, 1).trim();
            if (segment.isEmpty()) {
                segment = err.get(1, 1).trim();
                String field = err.get(1, 3).trim();
                return segment.isEmpty() ? "" : field.isEmpty() ? segment : segment + "-" + field;
            }
            String sequence = err.get(2, 2).trim();
            String field = err.get(2, 3).trim();
            String component = err.get(2, 5).trim();
            String where = sequence.isEmpty() || sequence.equals("1") ? segment : segment + "[" + sequence + "]";
            where = field.isEmpty() ? where : where + "-" + field;
            return component.isEmpty() ? where : where + "." + component;
        }

        /**
         * Walks the segments after the header: a PID opens a person (with its PD1 and NK1), an ORC
         * or an RXA without ORC opens an order group (with its RXR and OBX).
         */
        private void walkGroups() {
            List<Segment> segments = message.segments();
            int i = 0;
            while (i < segments.size()) {
                Segment segment = segments.get(i);
                switch (segment.name()) {
                    case "PID" -> i = person(segments, i);
                    case "ORC", "RXA" -> i = order(segments, i);
                    case "MSH", "MSA", "QAK", "QPD", "ERR", "SFT" -> i++;
                    default -> {
                        skipped++;
                        i++;
                    }
                }
            }
        }

        private int person(List<Segment> segments, int start) {
            Segment pid = segments.get(start);
            Segment pd1 = null;
            List<Segment> nk1s = new ArrayList<>();
            int i = start + 1;
            for (; i < segments.size(); i++) {
                Segment segment = segments.get(i);
                if (segment.name().equals("PD1")) {
                    pd1 = segment;
                } else if (segment.name().equals("NK1")) {
                    nk1s.add(segment);
                } else if (segment.name().equals("PV1") || segment.name().equals("IN1") || segment.name().equals("IN2")
                        || segment.name().equals("IN3")) {
                    skipped++; // visit and insurance: not used by the guide's queries
                } else {
                    break;
                }
            }
            persons.add(patients.map(pid, pd1, nk1s));
            return i;
        }

        private int order(List<Segment> segments, int start) {
            Segment orc = segments.get(start).name().equals("ORC") ? segments.get(start) : null;
            int i = orc == null ? start : start + 1;
            if (i >= segments.size() || !segments.get(i).name().equals("RXA")) {
                skipped++; // an ORC without RXA carries nothing to map
                return Math.max(i, start + 1);
            }
            Segment rxa = segments.get(i++);
            List<Segment> rxrs = new ArrayList<>();
            List<Segment> obxs = new ArrayList<>();
            for (; i < segments.size(); i++) {
                Segment segment = segments.get(i);
                switch (segment.name()) {
                    case "RXR" -> rxrs.add(segment);
                    case "OBX" -> obxs.add(segment);
                    case "NTE" -> skipped++;
                    default -> {
                        mapOrder(orc, rxa, rxrs, obxs);
                        return i;
                    }
                }
            }
            mapOrder(orc, rxa, rxrs, obxs);
            return i;
        }

        private void mapOrder(Segment orc, Segment rxa, List<Segment> rxrs, List<Segment> obxs) {
            Reference subject = persons.isEmpty() ? new Reference() : new Reference(persons.get(persons.size() - 1));
            OrderGroupMapper.Mapped mapped = orders.map(orc, rxa, rxrs, obxs, subject);
            if (mapped.immunization() != null) {
                immunizations.add(mapped.immunization());
            }
            evaluations.addAll(mapped.evaluations());
            recommendations.addAll(mapped.recommendations());
            findings.addAll(mapped.findings());
            skipped += mapped.skippedObservations();
            if (authority == null && !mapped.recommendations().isEmpty()) {
                obxs.stream().filter(obx -> OrderGroupObservations.code(obx).equals(Loinc.SCHEDULE_USED))
                        .findFirst().ifPresent(obx -> V2Types.authority(obx, value -> authority = value));
            }
        }

        private Kind kind(String type, RegistryResponse.Header header, List<Hl7Error> errors) {
            String ack = header.acknowledgmentCode().toUpperCase(Locale.ROOT);
            String status = header.queryStatus().toUpperCase(Locale.ROOT);
            boolean rejectedAck = ack.equals("AR") || ack.equals("CR") || ack.equals("AE") || ack.equals("CE");
            if (type.equals("VXU")) {
                return history(); // a registry's own record of a person (demo seed data, round trips)
            }
            if (type.equals("ACK")) {
                if (!rejectedAck) {
                    return Kind.ACCEPTED;
                }
                boolean query = message.event().equalsIgnoreCase("Q11");
                return ack.endsWith("E") && !query ? Kind.ACCEPTED_WITH_ERRORS : Kind.REJECTED;
            }
            switch (status) {
                case "NF":
                    return Kind.NOT_FOUND;
                case "TM":
                    return Kind.TOO_MANY;
                case "PD":
                    return Kind.PROTECTED;
                case "AE", "AR":
                    return Kind.REJECTED;
                default:
                    break;
            }
            if (rejectedAck && persons.isEmpty()) {
                return Kind.REJECTED;
            }
            if (persons.size() > 1) {
                return immunizations.isEmpty() ? Kind.CANDIDATES : history();
            }
            if (persons.isEmpty()) {
                return status.equals("OK") || errors.isEmpty() ? Kind.NOT_FOUND : Kind.REJECTED;
            }
            return history();
        }

        private Kind history() {
            return recommendations.isEmpty() ? Kind.HISTORY : Kind.HISTORY_AND_FORECAST;
        }

        private ImmunizationRecommendation forecast(Patient patient) {
            if (recommendations.isEmpty()) {
                return null;
            }
            ImmunizationRecommendation forecast = new ImmunizationRecommendation();
            forecast.setPatient(patient == null ? new Reference() : new Reference(patient));
            var created = V2Types.dateTime(message.msh().get(7));
            forecast.setDate(created != null ? created.getValue() : null);
            if (authority != null) {
                forecast.setAuthority(authority);
            }
            forecast.addIdentifier(new Identifier().setSystem(IdentifierSystems.of(registry, "forecast"))
                    .setValue(message.controlId()));
            recommendations.forEach(forecast::addRecommendation);
            return forecast;
        }
    }
}
