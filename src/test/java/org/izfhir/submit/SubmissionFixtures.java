package org.izfhir.submit;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.CodingSystems;

/** People and doses to submit: each test its own person, so that the shared demo registries never mix them. */
final class SubmissionFixtures {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final AtomicInteger PEOPLE = new AtomicInteger();
    private static final String[] FAMILIES = {"Okafor", "Lindqvist", "Haddad", "Moreau", "Nakamura", "Petrov", "Quispe",
            "Rahman", "Sorensen", "Tanaka", "Varga", "Whitfield", "Yilmaz", "Zielinski", "Abebe", "Bianchi", "Castillo",
            "Dimitriou", "Eriksen", "Farouk", "Gallagher", "Horvat", "Ivanova", "Jaramillo"};

    private SubmissionFixtures() {
    }

    /** A new person: a family name no demo registry holds, born on 2024-01-15, living in {@code homeState}. */
    static Patient person(String given, String homeState) {
        int n = PEOPLE.getAndIncrement();
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:oid:2.16.840.1.113883.3.1234.mrn").setValue("MRN-" + n + "-"
                + System.nanoTime() % 100000));
        patient.addName().setFamily(FAMILIES[n % FAMILIES.length] + (n >= FAMILIES.length ? "x" + n : "")).addGiven(given);
        patient.setBirthDateElement(new DateType("2024-01-15"));
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.addAddress().setUse(Address.AddressUse.HOME).addLine("12 Elm St").setCity("Somewhere").setState(homeState)
                .setPostalCode("07001");
        patient.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("9735551234");
        return patient;
    }

    /** An administered dose of hepatitis B (CVX 08, Merck) on a date, complete with the core data elements. */
    static Immunization dose(String date, String patientReference) {
        Immunization dose = new Immunization();
        dose.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        dose.getVaccineCode().addCoding(new Coding(CodingSystems.CVX, "08", "Hep B, adolescent or pediatric"));
        dose.setOccurrence(new DateTimeType(date));
        dose.setPatient(new Reference(patientReference));
        dose.setPrimarySource(true);
        dose.setLotNumber("LOT" + date.replace("-", ""));
        dose.setExpirationDateElement(new DateType("2027-12-31"));
        dose.setManufacturer(new Reference().setIdentifier(new Identifier().setSystem(CodingSystems.MVX).setValue("MSD")));
        dose.setRoute(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0162", "IM", "Intramuscular")));
        dose.setSite(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0163", "LT", "Left Thigh")));
        dose.addProgramEligibility(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0064", "V02",
                "VFC eligible - Medicaid/Medicaid Managed Care")));
        dose.addEducation().setDocumentType("253088698300010311120325").setPresentationDateElement(
                new DateTimeType(date));
        return dose;
    }

    static Location location(String state) {
        Location location = new Location();
        location.setName("Main Street Pharmacy");
        location.getAddress().setCity("Anytown").setState(state);
        return location;
    }

    /** A transaction: the person, their doses (given at {@code givenIn}, when not null). */
    static Bundle transaction(Patient patient, String givenIn, Immunization... doses) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        add(bundle, "urn:uuid:0b6a0c3e-0000-4000-8000-000000000001", patient, "Patient");
        if (givenIn != null) {
            add(bundle, "urn:uuid:0b6a0c3e-0000-4000-8000-000000000002", location(givenIn), "Location");
        }
        for (Immunization dose : doses) {
            if (givenIn != null) {
                dose.setLocation(new Reference("urn:uuid:0b6a0c3e-0000-4000-8000-000000000002"));
            }
            add(bundle, null, dose, "Immunization");
        }
        return bundle;
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource, String type) {
        Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
        entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(type);
    }

    static String json(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    static List<String> texts(org.hl7.fhir.r4.model.OperationOutcome outcome) {
        return outcome.getIssue().stream().map(i -> i.getSeverity().toCode() + ": " + i.getDiagnostics()).toList();
    }
}
