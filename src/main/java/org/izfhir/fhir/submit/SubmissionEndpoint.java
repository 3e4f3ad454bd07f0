package org.izfhir.fhir.submit;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.fhir.record.Demographics;
import org.izfhir.record.PatientAccess;
import org.izfhir.record.PersonMatcher;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.Profiles;
import org.izfhir.record.RecordService;
import org.izfhir.submit.Dose;
import org.izfhir.submit.Submissions;
import org.izfhir.submit.SubmissionProperties;
import org.springframework.stereotype.Component;

/**
 * The FHIR face of dose submissions: a transaction Bundle (a Patient, their Immunizations, and the
 * Location and Organization of the vaccination), and create, update, delete and read of
 * {@code Immunization/sub-...}. The Patient, Location and Organization entries are the doses'
 * context, not writes of those types. The person is matched to their consolidated record as a
 * search would, and each dose answered with one issue per registry.
 */
@Component
public class SubmissionEndpoint {

    private static final String SUBMITTER = SubmissionEndpoint.class.getName() + ".submitter";
    private static final String PATIENT = "patient";
    private static final String GIVEN_AT = "given-at";
    private static final String GIVEN_BY = "given-by";
    private static final Set<String> CONTEXT_TYPES = Set.of("Patient", "Location", "Organization", "Practitioner");

    private final Submissions submissions;
    private final RecordService records;
    private final SubmissionProperties properties;
    private final DeliveryViews views;

    SubmissionEndpoint(Submissions submissions, RecordService records, SubmissionProperties properties,
                       org.izfhir.registry.Registries registries) {
        this.submissions = submissions;
        this.records = records;
        this.properties = properties;
        this.views = new DeliveryViews(registries);
    }

    /** Lets a request submit doses as this client (the security check's decision, for system tokens only). */
    public static void grant(RequestDetails request, String client) {
        request.getUserData().put(SUBMITTER, client);
    }

    static String submitter(RequestDetails request) {
        if (request.getUserData().get(SUBMITTER) instanceof String client && !client.isEmpty()) {
            return client;
        }
        throw new ForbiddenOperationException("Submitting doses needs a backend-service token (system/Immunization.c)");
    }

    DeliveryViews views() {
        return views;
    }

    // ------------------------------------------------------------------ transaction

    Bundle transaction(Bundle bundle, RequestDetails request) {
        String submitter = submitter(request);
        if (bundle == null || bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new InvalidRequestException("This server takes transaction Bundles that submit doses (type transaction),"
                    + " not " + (bundle == null || bundle.getType() == null ? "this" : bundle.getType().toCode()));
        }
        if (bundle.getEntry().size() > properties.maxEntries()) {
            throw new PayloadTooLargeException("A transaction may hold at most " + properties.maxEntries()
                    + " entries; this one holds " + bundle.getEntry().size());
        }
        Map<String, Resource> byFullUrl = new HashMap<>();
        List<Immunization> doses = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            Resource resource = entry.getResource();
            if (resource == null) {
                throw new InvalidRequestException("Bundle.entry[" + i + "] has no resource");
            }
            String type = resource.fhirType();
            if (type.equals("Immunization")) {
                if (entry.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
                    throw new InvalidRequestException("Bundle.entry[" + i + "]: a transaction submits new doses (POST);"
                            + " correct or delete a submitted dose with PUT or DELETE on Immunization/{id}");
                }
                doses.add((Immunization) resource);
            } else if (!CONTEXT_TYPES.contains(type)) {
                throw new InvalidRequestException("Bundle.entry[" + i + "]: a " + type + " is not part of a dose"
                        + " submission (Immunization, with its Patient, Location, Organization and Practitioner)");
            }
            if (entry.hasFullUrl()) {
                byFullUrl.put(entry.getFullUrl(), resource);
            }
        }
        if (doses.isEmpty()) {
            throw new InvalidRequestException("The transaction holds no Immunization to submit");
        }
        Map<Patient, String> matched = new HashMap<>();
        List<Submissions.DoseRequest> requests = new ArrayList<>();
        for (Immunization dose : doses) {
            requests.add(doseRequest(dose, byFullUrl, matched, request));
        }
        List<Submissions.Receipt> receipts = answered(() -> submissions.add(submitter, requests));
        Bundle answer = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        int next = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryResponseComponent response = answer.addEntry().getResponse();
            if (entry.getResource() instanceof Immunization) {
                Submissions.Receipt receipt = receipts.get(next++);
                response.setStatus("201 Created").setLocation("Immunization/" + receipt.dose().id() + "/_history/1")
                        .setEtag("W/\"1\"").setLastModified(Date.from(receipt.dose().acceptedAt()))
                        .setOutcome(views.outcome(receipt));
            } else {
                response.setStatus("200 OK");
                if (entry.getResource() instanceof Patient patient && matched.get(patient) != null) {
                    response.setLocation("Patient/" + matched.get(patient));
                }
            }
        }
        return answer;
    }

    private Submissions.DoseRequest doseRequest(Immunization dose, Map<String, Resource> byFullUrl,
                                                Map<Patient, String> matched, RequestDetails request) {
        String reference = dose.getPatient().getReference();
        if (reference == null || reference.isBlank()) {
            throw unprocessable("Immunization.patient", "A dose needs its patient: a reference to the Patient entry"
                    + " of the transaction, or to a Patient/{id} of this server");
        }
        Patient patient;
        String patientId;
        Optional<Patient> contained = resolve(dose, dose.getPatient(), Map.of(), Patient.class);
        if (byFullUrl.get(reference) instanceof Patient local) {
            patient = local;
            patientId = matched.computeIfAbsent(local, this::match);
        } else if (contained.isPresent()) { // a dose served here, of a person no registry held yet
            patient = contained.get();
            patientId = match(patient);
        } else {
            PersonRecord record = storedPatient(reference, request);
            patient = record.patient();
            patientId = record.patientId();
        }
        Location location = resolve(dose, dose.getLocation(), byFullUrl, Location.class).orElse(null);
        Organization organization = dose.getPerformer().stream()
                .map(p -> resolve(dose, p.getActor(), byFullUrl, Organization.class)).flatMap(Optional::stream)
                .findFirst().orElse(null);
        // the dose as kept and served holds its context, so that it reads (and is corrected) on its own
        Immunization sent = dose.copy();
        sent.getContained().removeIf(r -> r instanceof Patient || r instanceof Location || r instanceof Organization);
        if (patientId == null) {
            sent.addContained(patient.copy().setId(PATIENT));
            sent.setPatient(new Reference("#" + PATIENT));
        } else {
            sent.setPatient(new Reference("Patient/" + patientId));
        }
        if (location != null) {
            sent.addContained(location.copy().setId(GIVEN_AT));
            sent.setLocation(new Reference("#" + GIVEN_AT).setDisplay(location.getName()));
        }
        if (organization != null) {
            sent.addContained(organization.copy().setId(GIVEN_BY));
            sent.getPerformer().removeIf(p -> p.getActor().hasReference() && !p.getActor().getReference().startsWith("Practitioner"));
            sent.addPerformer().setActor(new Reference("#" + GIVEN_BY).setDisplay(organization.getName()));
        }
        return new Submissions.DoseRequest(sent, patient, patientId, location, organization);
    }

    /** A Patient/{id} of this server, as a consolidated record; 422 for anything else. */
    private PersonRecord storedPatient(String reference, RequestDetails request) {
        IdType id = new IdType(reference);
        String base = request.getFhirServerBase();
        if (reference.startsWith("urn:") || reference.startsWith("#")) {
            throw unprocessable("Immunization.patient", "The patient " + reference + " is not in the transaction");
        }
        if (id.hasBaseUrl() && !id.getBaseUrl().equals(base)) {
            throw unprocessable("Immunization.patient", "The patient is on another server: a dose is submitted with the"
                    + " Patient in the transaction, or referring to a Patient/{id} of this server");
        }
        if (!"Patient".equals(id.getResourceType()) || !id.hasIdPart() || id.hasVersionIdPart()) {
            throw unprocessable("Immunization.patient", "The patient must be a Patient/{id} of this server or the"
                    + " transaction's Patient entry");
        }
        return records.get(id.getIdPart(), PatientAccess.everyone(), false).orElseThrow(() ->
                unprocessable("Immunization.patient", "Patient/" + id.getIdPart() + " is not a record of this server:"
                        + " search for the person first, or send their Patient in a transaction"));
    }

    /** The person's consolidated record, when a search finds them for certain; null otherwise (never fails a dose). */
    private String match(Patient patient) {
        try {
            var query = Demographics.query(patient);
            return records.find(query, PatientAccess.everyone(), false).records().stream()
                    .filter(r -> records.match(query, r.patient()).grade() == PersonMatcher.Grade.CERTAIN)
                    .map(PersonRecord::patientId).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null; // demographics the checks refuse, or registries that did not answer
        }
    }

    private static <T extends Resource> Optional<T> resolve(Immunization dose, Reference reference,
                                                           Map<String, Resource> byFullUrl, Class<T> type) {
        String ref = reference.getReference();
        if (ref == null) {
            return Optional.empty();
        }
        Resource target = ref.startsWith("#") ? dose.getContained().stream()
                .filter(r -> ref.substring(1).equals(r.getIdElement().getIdPart())).findFirst().orElse(null)
                : byFullUrl.get(ref);
        return type.isInstance(target) ? Optional.of(type.cast(target)) : Optional.empty();
    }

    // ------------------------------------------------------------------ Immunization/sub-...

    public MethodOutcome create(Immunization dose, RequestDetails request) {
        String submitter = submitter(request);
        if (dose == null) {
            throw new InvalidRequestException("POST /Immunization needs an Immunization");
        }
        Submissions.DoseRequest doseRequest = doseRequest(dose, Map.of(), new HashMap<>(), request);
        Submissions.Receipt receipt = answered(() -> submissions.add(submitter, List.of(doseRequest))).get(0);
        return answer(receipt, request).setCreated(true);
    }

    public MethodOutcome update(IdType id, Immunization dose, RequestDetails request) {
        String submitter = submitter(request);
        String doseId = submittedId(id);
        if (dose == null) {
            throw new InvalidRequestException("PUT /Immunization/{id} needs the corrected Immunization");
        }
        Submissions.DoseRequest doseRequest = doseRequest(dose, Map.of(), new HashMap<>(), request);
        return answer(answered(() -> submissions.update(submitter, doseId, doseRequest)), request);
    }

    public MethodOutcome delete(IdType id, RequestDetails request) {
        String submitter = submitter(request);
        String doseId = submittedId(id);
        Submissions.Receipt receipt = answered(() -> submissions.delete(submitter, doseId));
        return new MethodOutcome(new IdType("Immunization", doseId, String.valueOf(receipt.dose().version())))
                .setOperationOutcome(views.outcome(receipt));
    }

    /** A submitted dose as this client sent it, its latest version; 404 for another client's. */
    public Immunization read(IdType id, RequestDetails request) {
        Dose dose = answered(() -> submissions.own(submitter(request), submittedId(id)));
        return served(dose);
    }

    public static boolean submitted(IdType id) {
        return id != null && id.hasIdPart() && id.getIdPart().startsWith(Submissions.DOSE_ID_PREFIX);
    }

    private static String submittedId(IdType id) {
        if (!submitted(id)) {
            throw new ResourceNotFoundException("Immunization/" + (id == null ? "" : id.getIdPart()) + " is a dose of a"
                    + " consolidated record, which its registries own; only doses submitted here (Immunization/"
                    + Submissions.DOSE_ID_PREFIX + "...) are corrected or deleted here");
        }
        return id.getIdPart();
    }

    private MethodOutcome answer(Submissions.Receipt receipt, RequestDetails request) {
        MethodOutcome outcome = new MethodOutcome(new IdType("Immunization", receipt.dose().id(),
                String.valueOf(receipt.dose().version()))).setOperationOutcome(views.outcome(receipt));
        // the OperationOutcome per registry is the answer (the server's default), unless the client prefers the resource
        return outcome.setResource(served(receipt.dose()));
    }

    private static Immunization served(Dose dose) {
        Immunization served = Profiles.declare(dose.immunization().copy(), Profiles.SUBMITTED_IMMUNIZATION);
        served.setId(new IdType("Immunization", dose.id(), String.valueOf(dose.version())));
        served.getMeta().setVersionId(String.valueOf(dose.version())).setLastUpdated(Date.from(dose.acceptedAt()));
        if (dose.action() == org.izfhir.submit.Action.DELETE) {
            served.setStatus(Immunization.ImmunizationStatus.ENTEREDINERROR);
        }
        return served;
    }

    /** A submission's call, its refusal answered as FHIR: 404 for a dose unknown here, else 422 with every issue. */
    private static <T> T answered(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (Submissions.Refused refused) {
            if (refused.unknownDose()) {
                throw new ResourceNotFoundException(refused.getMessage());
            }
            throw new UnprocessableEntityException(refused.getMessage(), refused.outcome());
        }
    }

    private static UnprocessableEntityException unprocessable(String path, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.REQUIRED).setDiagnostics(message).addExpression(path);
        return new UnprocessableEntityException(message, outcome);
    }
}
