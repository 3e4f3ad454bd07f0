package org.izfhir.record;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationEvaluation;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.codes.Codes;
import org.izfhir.hl7.query.PersonQuery;

/**
 * Makes records out of registry answers: decides which answers describe the same person (and that
 * person is the one asked for), then merges each person's answers into one {@link PersonRecord}
 * with provenance. Pure: the same answers give the same record. Thread-safe.
 */
public final class Consolidator {

    /** Tags every resource with the registries it came from: {@code _tag=http://izfhir.org/fhir/CodeSystem/registry|NJ}. */
    public static final String REGISTRY_TAG = "http://izfhir.org/fhir/CodeSystem/registry";
    /** Identifies a registry in Provenance agents. */
    public static final String REGISTRY_ID_SYSTEM = "http://izfhir.org/fhir/sid/registry";
    private static final String PROVENANCE_TYPES = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    private final PersonMatcher matcher = new PersonMatcher();
    private final DoseMerger doses;
    private final ForecastResources forecasts;

    /** {@code forecasts} adds the server's own forecast on the consolidated history to each record. */
    public Consolidator(Codes codes, ForecastResources forecasts) {
        this.doses = new DoseMerger(codes);
        this.forecasts = forecasts;
    }

    /** The people the answers describe: answers that agree on a person, and how well each matches the query. */
    public record Person(List<RegistryAnswer> sources, PersonMatcher.Match match) {
        /** The registries' identifiers of this person, as {@code system|value}. */
        public Set<String> identifierKeys() {
            Set<String> keys = new HashSet<>();
            for (RegistryAnswer answer : sources) {
                for (Identifier identifier : answer.response().patient().getIdentifier()) {
                    keys.add(identifier.getSystem() + "|" + identifier.getValue());
                }
            }
            return keys;
        }
    }

    /**
     * Groups the answers that carry a history into people: two registries' people are one when they
     * match at least probably and nothing in either group contradicts the other (twins never
     * join). People that contradict the query itself are left out, best match first.
     */
    public List<Person> people(PersonQuery query, List<RegistryAnswer> answers) {
        List<RegistryAnswer> histories = answers.stream().filter(RegistryAnswer::hasHistory).toList();
        List<PersonTraits> traits = histories.stream().map(a -> PersonTraits.of(a.response().patient())).toList();
        int n = histories.size();
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = i;
        }
        PersonMatcher.Match[][] pairs = new PersonMatcher.Match[n][n];
        List<int[]> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs[i][j] = matcher.compare(traits.get(i), traits.get(j));
                pairs[j][i] = pairs[i][j];
                if (pairs[i][j].grade().atLeast(PersonMatcher.Grade.PROBABLE)) {
                    links.add(new int[] {i, j});
                }
            }
        }
        links.sort(Comparator.comparing((int[] link) -> pairs[link[0]][link[1]].score()).reversed());
        for (int[] link : links) {
            int a = group[link[0]];
            int b = group[link[1]];
            if (a != b && compatible(group, pairs, a, b)) {
                for (int k = 0; k < n; k++) {
                    group[k] = group[k] == b ? a : group[k];
                }
            }
        }
        PersonTraits asked = PersonTraits.of(query);
        Map<Integer, List<RegistryAnswer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byGroup.computeIfAbsent(group[i], k -> new ArrayList<>()).add(histories.get(i));
        }
        List<Person> people = new ArrayList<>();
        for (List<RegistryAnswer> sources : byGroup.values()) {
            PersonMatcher.Match best = sources.stream()
                    .map(a -> matcher.compare(asked, PersonTraits.of(a.response().patient())))
                    .max(Comparator.comparing(PersonMatcher.Match::score)).orElseThrow();
            if (best.grade() != PersonMatcher.Grade.CERTAINLY_NOT) {
                people.add(new Person(sources, best));
            }
        }
        people.sort(Comparator.comparing((Person p) -> p.match().score()).reversed());
        return people;
    }

    /** How well a registry's candidate (Z31) or a consolidated person matches what was asked. */
    public PersonMatcher.Match match(PersonQuery query, Patient patient) {
        return matcher.compare(PersonTraits.of(query), PersonTraits.of(patient));
    }

    /** Whether no member of group {@code a} contradicts a member of group {@code b}. */
    private static boolean compatible(int[] group, PersonMatcher.Match[][] pairs, int a, int b) {
        for (int i = 0; i < group.length; i++) {
            for (int j = 0; j < group.length; j++) {
                if (group[i] == a && group[j] == b && pairs[i][j].grade() == PersonMatcher.Grade.CERTAINLY_NOT) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One person's record, from the answers that describe them; {@code answers} are all the consultation's. */
    public PersonRecord record(String patientId, Person person, PersonQuery query, List<RegistryAnswer> answers,
                               Instant refreshedAt) {
        Patient patient = patient(patientId, person.sources());
        Reference subject = new Reference("Patient/" + patientId);
        List<DoseMerger.Reported> reported = new ArrayList<>();
        for (RegistryAnswer answer : person.sources()) {
            answer.response().immunizations().forEach(i -> reported.add(new DoseMerger.Reported(answer.registryId(), i)));
        }
        List<DoseMerger.Merged> merged = new ArrayList<>(doses.merge(reported));
        merged.sort(Comparator.comparing((DoseMerger.Merged m) -> occurrence(m.immunization())));
        Set<String> ids = new HashSet<>();
        List<Immunization> immunizations = new ArrayList<>();
        for (DoseMerger.Merged dose : merged) {
            Immunization immunization = dose.immunization();
            immunization.setId(uniqueId(ids, patientId + "-imm-" + Digests.sha256(occurrence(immunization) + "|"
                    + immunization.getVaccineCode().getCodingFirstRep().getCode() + "|" + immunization.getStatus(), 5)));
            immunization.setPatient(subject.copy());
            tag(immunization, dose.registries(), answerTimes(person.sources()));
            immunizations.add(immunization);
        }
        Map<Immunization, Immunization> mergedOf = DoseMerger.byReport(merged);
        List<ImmunizationEvaluation> evaluations = new ArrayList<>();
        List<ImmunizationRecommendation> recommendations = new ArrayList<>();
        for (RegistryAnswer answer : person.sources()) {
            int n = 0;
            for (ImmunizationEvaluation registryEvaluation : answer.response().evaluations()) {
                ImmunizationEvaluation evaluation = registryEvaluation.copy();
                evaluation.setId(patientId + "-eval-" + answer.registryId().toLowerCase(java.util.Locale.ROOT) + "-" + ++n);
                evaluation.setPatient(subject.copy());
                Object event = registryEvaluation.getImmunizationEvent().getResource();
                Immunization dose = event instanceof Immunization reportedDose ? mergedOf.get(reportedDose) : null;
                evaluation.setImmunizationEvent(dose == null ? new Reference().setDisplay("a dose the registry did not send")
                        : new Reference("Immunization/" + dose.getIdPart()));
                tag(evaluation, Set.of(answer.registryId()), answerTimes(person.sources()));
                evaluations.add(evaluation);
            }
            if (answer.response().forecast() != null) {
                ImmunizationRecommendation forecast = answer.response().forecast().copy();
                forecast.setId(patientId + "-rec-" + answer.registryId().toLowerCase(java.util.Locale.ROOT));
                forecast.setPatient(subject.copy());
                tag(forecast, Set.of(answer.registryId()), answerTimes(person.sources()));
                recommendations.add(forecast);
            }
        }
        // The server's own forecast, on every dose and finding of every registry, as of the consultation.
        List<Observation> findings = person.sources().stream().flatMap(a -> a.response().findings().stream()).toList();
        ForecastResources.Result ours = forecasts.forecast(patient, immunizations, findings,
                refreshedAt.atZone(ZoneOffset.UTC).toLocalDate(), patientId);
        if (ours.recommendation() != null) {
            recommendations.add(0, ours.recommendation());
            evaluations.addAll(ours.evaluations());
        }
        List<Provenance> provenances = provenances(patientId, person.sources(), patient, immunizations, evaluations,
                recommendations);
        OperationOutcome outcome = RegistryOutcomes.of(answers, person.sources());
        PersonRecord record = new PersonRecord(patientId, patient, immunizations, evaluations, recommendations,
                provenances, outcome, query, person.sources(), refreshedAt);
        record.resources().forEach(Profiles::declare);
        return record;
    }

    /**
     * The record again when its registries gave the same answers again, on the same day: the same
     * resources (what {@link #record} would make of these answers, the stored record's very
     * objects), with the new times and outcome in the Provenance and the outcome. Empty when
     * anything differs: a source, a registry, the day of the forecast.
     */
    public Optional<PersonRecord> confirmed(PersonRecord stored, Person person, PersonQuery query,
                                            List<RegistryAnswer> answers, Instant refreshedAt) {
        List<RegistryAnswer> sources = person.sources();
        if (sources.size() != stored.sources().size() || !refreshedAt.atZone(ZoneOffset.UTC).toLocalDate()
                .equals(stored.refreshedAt().atZone(ZoneOffset.UTC).toLocalDate())) {
            return Optional.empty();
        }
        for (int i = 0; i < sources.size(); i++) {
            RegistryAnswer before = stored.sources().get(i);
            RegistryAnswer now = sources.get(i);
            if (now.response() != before.response() || !now.registryId().equals(before.registryId())
                    || !now.since().equals(before.since())) {
                return Optional.empty();
            }
        }
        List<Provenance> provenances = provenances(stored.patientId(), sources, stored.patient(),
                stored.immunizations(), stored.evaluations(), stored.recommendations());
        return Optional.of(new PersonRecord(stored.patientId(), stored.patient(), stored.immunizations(),
                stored.evaluations(), stored.recommendations(), provenances, RegistryOutcomes.of(answers, sources),
                query, sources, refreshedAt));
    }

    /**
     * The consolidated Patient: the best-named report first (a real name over a newborn's
     * placeholder), then every other name, identifier, address and phone the registries know.
     */
    private static Patient patient(String patientId, List<RegistryAnswer> sources) {
        List<Patient> reports = sources.stream().map(a -> a.response().patient()).toList();
        Patient best = reports.stream().max(Comparator.comparingInt(Consolidator::namedness)).orElseThrow();
        Patient patient = best.copy();
        patient.setId(patientId);
        for (Patient other : reports) {
            if (other == best) {
                continue;
            }
            for (Identifier identifier : other.getIdentifier()) {
                if (patient.getIdentifier().stream().noneMatch(i -> Objects.equals(i.getSystem(), identifier.getSystem())
                        && Objects.equals(i.getValue(), identifier.getValue()))) {
                    patient.addIdentifier(identifier.copy());
                }
            }
            for (HumanName name : other.getName()) {
                if (patient.getName().stream().noneMatch(n -> n.getNameAsSingleString().equalsIgnoreCase(
                        name.getNameAsSingleString()))) {
                    HumanName copy = name.copy();
                    if (Names.isPlaceholder(Names.normalize(name.getGivenAsSingleString()))) {
                        copy.setUse(HumanName.NameUse.TEMP); // a newborn's name until named
                    }
                    patient.addName(copy);
                }
            }
            for (Address address : other.getAddress()) {
                if (patient.getAddress().stream().noneMatch(a -> a.equalsDeep(address))) {
                    patient.addAddress(address.copy());
                }
            }
            for (ContactPoint telecom : other.getTelecom()) {
                if (patient.getTelecom().stream().noneMatch(t -> Objects.equals(t.getValue(), telecom.getValue()))) {
                    patient.addTelecom(telecom.copy());
                }
            }
            if (!patient.hasGender() && other.hasGender()) {
                patient.setGender(other.getGender());
            }
            other.getMeta().getSecurity().forEach(label -> {
                if (patient.getMeta().getSecurity(label.getSystem(), label.getCode()) == null) {
                    patient.getMeta().addSecurity(label.copy());
                }
            });
        }
        Set<String> registries = new java.util.LinkedHashSet<>();
        sources.forEach(a -> registries.add(a.registryId()));
        tag(patient, registries, answerTimes(sources));
        return patient;
    }

    private static int namedness(Patient patient) {
        HumanName name = patient.getNameFirstRep();
        int points = Names.isPlaceholder(Names.normalize(name.getGivenAsSingleString())) ? 0 : 8;
        points += name.getGiven().size() + (patient.hasTelecom() ? 1 : 0) + (patient.hasAddress() ? 1 : 0);
        return points;
    }

    /** One Provenance per registry: what it contributed, when it answered, which message carried it. */
    private static List<Provenance> provenances(String patientId, List<RegistryAnswer> sources, Patient patient,
                                                List<Immunization> immunizations,
                                                List<ImmunizationEvaluation> evaluations,
                                                List<ImmunizationRecommendation> recommendations) {
        List<Provenance> provenances = new ArrayList<>();
        for (RegistryAnswer answer : sources) {
            Provenance provenance = Profiles.declare(new Provenance(), Profiles.REGISTRY_PROVENANCE);
            provenance.setId(patientId + "-prov-" + answer.registryId().toLowerCase(java.util.Locale.ROOT));
            for (Resource resource : concat(List.of(patient), immunizations, evaluations, recommendations)) {
                if (resource.getMeta().getTag(REGISTRY_TAG, answer.registryId()) != null) {
                    provenance.addTarget(new Reference(resource.fhirType() + "/" + resource.getIdPart()));
                }
            }
            provenance.setRecorded(Date.from(answer.at()));
            provenance.getActivity().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                    "UPDATE", "revise"));
            Provenance.ProvenanceAgentComponent author = provenance.addAgent();
            author.getType().addCoding(new Coding(PROVENANCE_TYPES, "author", "Author"));
            author.setWho(new Reference().setDisplay(answer.registryName())
                    .setIdentifier(new Identifier().setSystem(REGISTRY_ID_SYSTEM).setValue(answer.registryId())));
            Provenance.ProvenanceAgentComponent assembler = provenance.addAgent();
            assembler.getType().addCoding(new Coding(PROVENANCE_TYPES, "assembler", "Assembler"));
            assembler.setWho(new Reference().setDisplay("IZ FHIR Server"));
            var header = answer.response().header();
            provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference().setDisplay("HL7 v2 " + header.messageType() + " " + header.profile()
                            + " answer, message control id " + header.controlId()
                            + (answer.since().equals(answer.at()) ? "" : ", given again unchanged when recorded")
                            + (answer.reused() ? " (kept from an earlier consultation: the registry failed this time)" : "")));
            tag(provenance, Set.of(answer.registryId()), Map.of(answer.registryId(), answer.at()));
            provenances.add(provenance);
        }
        return provenances;
    }

    @SafeVarargs
    private static List<Resource> concat(List<? extends Resource>... lists) {
        List<Resource> all = new ArrayList<>();
        for (List<? extends Resource> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** When each registry first gave the answer the record is made of: when what it says last changed. */
    private static Map<String, Instant> answerTimes(List<RegistryAnswer> sources) {
        Map<String, Instant> times = new LinkedHashMap<>();
        sources.forEach(a -> times.put(a.registryId(), a.since()));
        return times;
    }

    /**
     * Marks a resource with its registries: a {@code meta.tag} per registry, {@code meta.source}
     * when there is one, and {@code meta.lastUpdated} as the latest of their answers' first times
     * (an answer given again unchanged changes nothing; its Provenance records when).
     */
    private static void tag(Resource resource, Set<String> registries, Map<String, Instant> times) {
        Instant latest = null;
        for (String registry : registries) {
            resource.getMeta().addTag(REGISTRY_TAG, registry, null);
            Instant at = times.get(registry);
            latest = latest == null || at != null && at.isAfter(latest) ? at : latest;
        }
        if (registries.size() == 1) {
            resource.getMeta().setSource(REGISTRY_TAG + "/" + registries.iterator().next());
        }
        if (latest != null) {
            resource.getMeta().setLastUpdated(Date.from(latest));
        }
    }

    private static String occurrence(Immunization immunization) {
        return immunization.hasOccurrenceDateTimeType() ? immunization.getOccurrenceDateTimeType().getValueAsString()
                : immunization.hasOccurrenceStringType() ? "~" + immunization.getOccurrenceStringType().getValue() : "~";
    }

    private static String uniqueId(Set<String> used, String id) {
        String unique = id;
        for (int n = 2; !used.add(unique); n++) {
            unique = id + "-" + n;
        }
        return unique;
    }
}
