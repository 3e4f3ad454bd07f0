package org.izfhir.submit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.hl7.submit.VaccinationUpdateBuilder;
import org.izfhir.registry.RegistryConfig;

/**
 * Dose submissions: checks each dose, decides which registries are due it, writes it and its
 * deliveries to the outbox in one transaction, sends them at once and waits a little for the
 * registries' acknowledgments. What is not acknowledged by then stays queued and is delivered
 * later; nothing accepted here is ever dropped.
 */
public final class Submissions {

    /** Our own assigning authority (PID-3, ORC-3). */
    public static final String AUTHORITY = "IZFHIR";
    /** The system of this server's identifier of a submitted person (PID-3) and of a dose (ORC-3). */
    public static final String PERSON_SYSTEM = "http://izfhir.org/fhir/sid/submitted-person";
    public static final String DOSE_SYSTEM = "http://izfhir.org/fhir/sid/submitted-dose";
    /** Submitted doses' ids start with this; consolidated records' resource ids never do. */
    public static final String DOSE_ID_PREFIX = "sub-";

    /**
     * One dose as submitted, with its context.
     *
     * @param patientId    the consolidated record the person was matched to; null when none
     * @param location     where it was given, when the submission says
     * @param organization who gave it, when the submission says
     */
    public record DoseRequest(Immunization immunization, Patient patient, String patientId, Location location,
                              Organization organization) {
    }

    /** A dose accepted: its deliveries as they stand, and the warnings of the checks and the routing. */
    public record Receipt(Dose dose, List<Delivery> deliveries, List<OperationOutcomeIssueComponent> warnings) {
    }

    /** A submission refused before anything was written or sent (422, or 404 for a dose unknown here). */
    public static final class Refused extends RuntimeException {
        private final transient OperationOutcome outcome;
        private final boolean unknown;

        Refused(OperationOutcome outcome, boolean unknown) {
            super(outcome.getIssueFirstRep().getDiagnostics(), null, false, false);
            this.outcome = outcome;
            this.unknown = unknown;
        }

        public OperationOutcome outcome() {
            return outcome;
        }

        /** Whether the dose named is not one of the submitter's. */
        public boolean unknownDose() {
            return unknown;
        }
    }

    private record Prepared(Dose dose, List<Delivery> deliveries, List<OperationOutcomeIssueComponent> warnings) {
    }

    private final Outbox outbox;
    private final Deliverer deliverer;
    private final Routing routing;
    private final DoseChecks checks;
    private final SubmissionProperties properties;
    private final Clock clock;
    private final ZoneId zone;
    private final VaccinationUpdateBuilder builder = new VaccinationUpdateBuilder();
    private final SecureRandom random = new SecureRandom();

    Submissions(Outbox outbox, Deliverer deliverer, List<RegistryConfig> registries, DoseChecks checks,
                SubmissionProperties properties, Clock clock, ZoneId zone) {
        this.outbox = outbox;
        this.deliverer = deliverer;
        this.routing = new Routing(registries);
        this.checks = checks;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * Submits new doses, all or none: any dose that fails its checks refuses them all, with one
     * issue per problem (its expression prefixed by the dose's position when there are several).
     */
    public List<Receipt> add(String submitter, List<DoseRequest> doses) {
        List<Prepared> prepared = new ArrayList<>();
        OperationOutcome refusals = new OperationOutcome();
        for (int i = 0; i < doses.size(); i++) {
            DoseRequest request = doses.get(i);
            String prefix = doses.size() > 1 ? "Bundle.entry for dose " + (i + 1) + ": " : "";
            prepare(submitter, newDoseId(), 1, Action.ADD, request, prefix, refusals).ifPresent(prepared::add);
        }
        return accept(prepared, refusals);
    }

    /** A correction of one of the submitter's doses (RXA-21 {@code U}): a new version, sent to each registry due it. */
    public Receipt update(String submitter, String doseId, DoseRequest request) {
        Dose previous = own(submitter, doseId);
        OperationOutcome refusals = new OperationOutcome();
        DoseRequest kept = new DoseRequest(request.immunization(), request.patient(),
                request.patientId() != null ? request.patientId() : previous.patientId(), request.location(),
                request.organization());
        Optional<Prepared> prepared = prepare(submitter, doseId, previous.version() + 1,
                previous.action() == Action.DELETE ? Action.ADD : Action.UPDATE, kept, "", refusals);
        return accept(prepared.stream().toList(), refusals).get(0);
    }

    /** The deletion of one of the submitter's doses (RXA-21 {@code D}), sent to each registry its last version went to. */
    public Receipt delete(String submitter, String doseId) {
        Dose previous = own(submitter, doseId);
        List<Delivery> last = outbox.deliveries(new Outbox.Filter(submitter, List.of(doseId), null, null, null, null,
                100)).stream().filter(d -> d.doseVersion() == previous.version()).toList();
        if (previous.action() == Action.DELETE) {
            return new Receipt(previous, last, List.of());
        }
        Dose deletion = new Dose(doseId, previous.version() + 1, submitter, previous.patientId(), previous.personKey(),
                Action.DELETE, previous.immunization(), previous.patient(), clock.instant());
        List<Delivery> deliveries = last.stream().flatMap(d -> routing.registry(d.registryId()).stream()
                .map(registry -> delivery(deletion, registry, d.reason()))).toList();
        return accept(List.of(new Prepared(deletion, deliveries, List.of())), new OperationOutcome()).get(0);
    }

    /** The submitter's dose, or a 404 refusal: another submitter's dose is not told apart from none. */
    public Dose own(String submitter, String doseId) {
        return outbox.dose(doseId).filter(dose -> dose.submitter().equals(submitter)).orElseThrow(() ->
                new Refused(outcome(IssueSeverity.ERROR, IssueType.NOTFOUND, "Immunization/" + doseId
                        + " is not a dose this client submitted"), true));
    }

    private Optional<Prepared> prepare(String submitter, String doseId, int version, Action action, DoseRequest request,
                                       String prefix, OperationOutcome refusals) {
        List<OperationOutcomeIssueComponent> issues = checks.check(request.immunization(), request.patient(),
                clock.instant().atZone(zone).toLocalDate());
        Routing.Plan plan = routing.plan(Routing.givenIn(Optional.ofNullable(request.location()),
                Optional.ofNullable(request.organization())), Routing.home(request.patient()));
        if (plan.routes().isEmpty()) {
            issues.add(DoseChecks.error(IssueType.BUSINESSRULE, "Immunization.location", noRegistry(plan)));
        } else {
            for (String state : plan.uncovered()) {
                issues.add(DoseChecks.warning(IssueType.BUSINESSRULE, "Immunization.location", "No registry configured"
                        + " here serves " + state + ": the dose is not sent there"));
            }
            if (plan.givenIn().isEmpty()) {
                issues.add(DoseChecks.warning(IssueType.REQUIRED, "Immunization.location", "Where the dose was given"
                        + " is not said (a Location or the performing Organization with an address): it goes to the"
                        + " registry of the patient's home state only"));
            }
        }
        List<OperationOutcomeIssueComponent> errors = issues.stream().filter(i -> i.getSeverity() == IssueSeverity.ERROR).toList();
        if (!errors.isEmpty()) {
            errors.forEach(issue -> refusals.addIssue(issue.setDiagnostics(prefix + issue.getDiagnostics())));
            return Optional.empty();
        }
        Dose dose = new Dose(doseId, version, submitter, request.patientId(), personKey(submitter, request.patient()),
                action, request.immunization(), request.patient(), clock.instant());
        List<Delivery> deliveries = plan.routes().stream().map(route -> delivery(dose, route.registry(), route.reason())).toList();
        return Optional.of(new Prepared(dose, deliveries, issues));
    }

    private static String noRegistry(Routing.Plan plan) {
        if (plan.givenIn().isEmpty() && plan.home().isEmpty()) {
            return "Neither where the dose was given nor where the patient lives is known (a Location or Organization"
                    + " address, a Patient address with a state): no registry can be chosen";
        }
        return "No registry configured here serves " + String.join(" or ", plan.uncovered())
                + ": the dose cannot be submitted";
    }

    private List<Receipt> accept(List<Prepared> prepared, OperationOutcome refusals) {
        if (refusals.hasIssue()) {
            throw new Refused(refusals, false);
        }
        outbox.accept(prepared.stream().map(Prepared::dose).toList(),
                prepared.stream().flatMap(p -> p.deliveries().stream()).toList());
        List<String> ids = prepared.stream().flatMap(p -> p.deliveries().stream()).map(Delivery::id).toList();
        try {
            deliverer.deliverNew(ids).get(properties.answerWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // still on their way: reported as queued, and recorded when they end
        } catch (java.util.concurrent.ExecutionException e) {
            // recorded as the outbox stands; the poller takes what is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Delivery> current = outbox.deliveries(new Outbox.Filter(null,
                prepared.stream().map(p -> p.dose().id()).toList(), null, null, null, null, 1000)).stream()
                .collect(Collectors.toMap(Delivery::id, Function.identity()));
        return prepared.stream().map(p -> new Receipt(p.dose(), p.deliveries().stream()
                .map(d -> current.getOrDefault(d.id(), d)).toList(), p.warnings())).toList();
    }

    private Delivery delivery(Dose dose, RegistryConfig registry, Delivery.Reason reason) {
        String controlId = newId();
        Immunization sent = dose.immunization().copy();
        sent.getIdentifier().removeIf(i -> "FILL".equals(i.getType().getCodingFirstRep().getCode()));
        sent.addIdentifier(new Identifier().setSystem(DOSE_SYSTEM).setValue(dose.id())
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "FILL", null))));
        Patient person = dose.patient().copy();
        person.addIdentifier(new Identifier().setSystem(PERSON_SYSTEM).setValue(dose.personKey())
                .setAssigner(new Reference().setDisplay(AUTHORITY))
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "PI", null))));
        Instant now = dose.acceptedAt();
        String message = builder.build(sent, person, registry.header(), controlId, ZonedDateTime.ofInstant(now, zone),
                AUTHORITY, dose.action().code());
        // leased to this instance from the start: sent by it at once, by any instance if it dies first
        return new Delivery(newId(), dose.id(), dose.version(), dose.submitter(), dose.patientId(), registry.id(), reason,
                controlId, message, DeliveryState.QUEUED, 0, now.plus(properties.lease()), now, now, new OperationOutcome());
    }

    /**
     * This server's identifier of the person for this submitter: from the submitter's own first
     * identifier of them when it sends one, else from their birth date, mother's maiden name and
     * family name, so that a newborn sent as "Baby Boy" and later by their legal name is the same
     * patient at each registry.
     */
    private static String personKey(String submitter, Patient patient) {
        String basis = patient.getIdentifier().stream().filter(Identifier::hasValue).findFirst()
                .map(id -> "id|" + id.getSystem() + "|" + id.getValue())
                .orElseGet(() -> "born|" + patient.getBirthDateElement().getValueAsString() + "|"
                        + patient.getExtensionsByUrl(org.izfhir.hl7.Extensions.MOTHERS_MAIDEN_NAME).stream()
                        .map(e -> e.getValue().primitiveValue()).findFirst().orElse("") + "|"
                        + patient.getNameFirstRep().getFamily());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((submitter + "|" + basis.toUpperCase(java.util.Locale.ROOT))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of a new dose: {@code sub-} and random hex, never the id of a consolidated record's resource. */
    private String newDoseId() {
        return DOSE_ID_PREFIX + newId();
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** One registry's handling of a dose in words: "NJ IIS accepted the dose with 1 warning: ...". */
    public static String summary(String registryName, Delivery delivery) {
        return Acknowledgments.summary(registryName, delivery.state(), delivery.outcome());
    }

    static OperationOutcome outcome(IssueSeverity severity, IssueType type, String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
        return outcome;
    }
}
