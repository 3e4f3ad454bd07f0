package org.izfhir.submit;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.codes.Codes;
import org.izfhir.codes.NdcProduct;
import org.izfhir.codes.Vaccine;
import org.izfhir.forecast.SupportingData;
import org.izfhir.hl7.CodingSystems;

/**
 * Checks a dose before anything is sent (the IIP's data validation, on the CDC guide's core data
 * elements). Errors stop the submission; warnings are reported and the dose goes on, as a registry
 * would take it. Each issue names where it is as a FHIRPath expression.
 */
final class DoseChecks {

    /** Given names that say a newborn has no legal name yet ("Baby Boy", "BABY GIRL", "Newborn", ...). */
    private static final Set<String> NEWBORN_WORDS = Set.of("BABY", "BABYBOY", "BABYGIRL", "BOY", "GIRL", "INFANT",
            "NEWBORN", "NB", "MALE", "FEMALE", "BB", "BG", "TWIN", "A", "B");

    private static final java.util.regex.Pattern NOT_A_LETTER = java.util.regex.Pattern.compile("[^A-Z]+");

    private final Codes codes;
    /** Per CVX, the ages at which CDC's schedule (CDSi) takes the vaccine for some dose of some series. */
    private final Map<String, List<SupportingData.Vaccine>> ages = new java.util.HashMap<>();
    private final ZoneId zone;

    DoseChecks(Codes codes, SupportingData schedule, ZoneId zone) {
        this.codes = codes;
        this.zone = zone;
        for (SupportingData.Antigen antigen : schedule.antigens().values()) {
            for (SupportingData.Series series : antigen.series()) {
                for (SupportingData.SeriesDose dose : series.doses()) {
                    java.util.stream.Stream.concat(dose.preferable().stream(), dose.allowable().stream()).forEach(vaccine ->
                            ages.computeIfAbsent(Codes.normalizeCvx(vaccine.cvx()), cvx -> new java.util.ArrayList<>())
                                    .add(vaccine));
                }
            }
        }
    }

    /** Every problem found, errors and warnings, in the order of the resources' elements. */
    List<OperationOutcomeIssueComponent> check(Immunization dose, Patient patient, LocalDate today) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        LocalDate born = patient.hasBirthDate() ? patient.getBirthDate().toInstant().atZone(zone).toLocalDate() : null;
        checkPatient(patient, born, today, issues);
        checkDose(dose, born, today, issues);
        return issues;
    }

    private void checkPatient(Patient patient, LocalDate born, LocalDate today, List<OperationOutcomeIssueComponent> issues) {
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == null || n.getUse() == HumanName.NameUse.OFFICIAL
                || n.getUse() == HumanName.NameUse.USUAL).findFirst().orElse(patient.getNameFirstRep());
        if (!name.hasFamily() || name.getGivenAsSingleString().isBlank()) {
            issues.add(error(IssueType.REQUIRED, "Patient.name", "The patient's family and given names are required"));
        } else if (newborn(name)) {
            issues.add(warning(IssueType.BUSINESSRULE, "Patient.name", "'" + name.getGivenAsSingleString()
                    + "' is not a legal name: the dose is sent as a newborn's, and the legal name should follow in an"
                    + " update of the same patient"));
        }
        if (born == null) {
            issues.add(error(IssueType.REQUIRED, "Patient.birthDate", "The patient's birth date is required"));
        } else if (born.isAfter(today)) {
            issues.add(error(IssueType.INVALID, "Patient.birthDate", "The birth date " + born + " is in the future"));
        }
        if (!patient.hasGender()) {
            issues.add(warning(IssueType.REQUIRED, "Patient.gender", "The patient's sex is missing"));
        }
        if (!patient.hasAddress()) {
            issues.add(warning(IssueType.REQUIRED, "Patient.address", "The patient's address is missing: the registry"
                    + " of their home state cannot be told"));
        }
    }

    private void checkDose(Immunization dose, LocalDate born, LocalDate today, List<OperationOutcomeIssueComponent> issues) {
        LocalDate given = dose.hasOccurrenceDateTimeType() && dose.getOccurrenceDateTimeType().getValue() != null
                ? dose.getOccurrenceDateTimeType().getValue().toInstant().atZone(zone).toLocalDate() : null;
        if (given == null) {
            issues.add(error(IssueType.REQUIRED, "Immunization.occurrence", "The date of the dose (occurrenceDateTime) is required"));
        } else if (given.isAfter(today)) {
            issues.add(error(IssueType.INVALID, "Immunization.occurrence", "The dose's date " + given + " is in the future"));
        } else if (born != null && given.isBefore(born)) {
            issues.add(error(IssueType.INVALID, "Immunization.occurrence", "The dose's date " + given
                    + " is before the patient's birth date " + born));
        }
        boolean administered = dose.getStatus() == Immunization.ImmunizationStatus.COMPLETED
                && (!dose.hasPrimarySource() || dose.getPrimarySource());
        if (dose.getStatus() == Immunization.ImmunizationStatus.NOTDONE && !dose.hasStatusReason()) {
            issues.add(error(IssueType.REQUIRED, "Immunization.statusReason", "A dose not given needs a reason"
                    + " (refusal, immunity, medical precaution)"));
        }
        Optional<String> cvx = vaccine(dose, given, administered, issues);
        String mvx = manufacturer(dose, issues);
        if (cvx.isPresent() && mvx != null && codes.makes(mvx, cvx.get()).filter(makes -> !makes).isPresent()) {
            issues.add(error(IssueType.CODEINVALID, "Immunization.manufacturer", "CDC's product names list no vaccine"
                    + " CVX " + cvx.get() + " made by MVX " + mvx));
        }
        if (administered && cvx.isPresent() && given != null && born != null && !given.isBefore(born)) {
            checkAge(cvx.get(), born, given, issues);
        }
        if (dose.hasExpirationDate() && given != null
                && dose.getExpirationDate().toInstant().atZone(zone).toLocalDate().isBefore(given)) {
            issues.add(error(IssueType.INVALID, "Immunization.expirationDate", "The lot expired on "
                    + dose.getExpirationDateElement().getValueAsString() + ", before the dose was given on " + given));
        }
        if (administered) {
            warnMissing(issues, dose.hasLotNumber(), "Immunization.lotNumber", "lot number");
            warnMissing(issues, dose.hasExpirationDate(), "Immunization.expirationDate", "lot's expiration date");
            warnMissing(issues, mvx != null, "Immunization.manufacturer", "manufacturer (MVX)");
            warnMissing(issues, dose.hasRoute(), "Immunization.route", "route");
            warnMissing(issues, dose.hasSite(), "Immunization.site", "body site");
            warnMissing(issues, dose.hasProgramEligibility(), "Immunization.programEligibility", "funding eligibility");
            warnMissing(issues, dose.hasEducation(), "Immunization.education", "vaccine information statement (VIS)");
        }
    }

    /**
     * A warning when no series of CDC's schedule takes the vaccine at the patient's age then (the
     * vaccine ages of its preferable and allowable vaccines: close to the licensed ages).
     */
    private void checkAge(String cvx, LocalDate born, LocalDate given, List<OperationOutcomeIssueComponent> issues) {
        List<SupportingData.Vaccine> counted = ages.getOrDefault(Codes.normalizeCvx(cvx), List.of());
        boolean inRange = counted.isEmpty() || counted.stream().anyMatch(a ->
                (a.beginAge() == null || !given.isBefore(a.beginAge().addTo(born)))
                        && (a.endAge() == null || given.isBefore(a.endAge().addTo(born))));
        if (!inRange) {
            issues.add(warning(IssueType.BUSINESSRULE, "Immunization.occurrence", "CVX " + cvx + " given at "
                    + java.time.Period.between(born, given).toTotalMonths() + " months of age is outside the ages at which"
                    + " CDC's schedule (CDSi) takes it"));
        }
    }

    /** The dose's CVX (from the CVX coding, else from its NDC), checked; empty when none can be told. */
    private Optional<String> vaccine(Immunization dose, LocalDate given, boolean administered,
                                     List<OperationOutcomeIssueComponent> issues) {
        Optional<Coding> cvxCoding = coding(dose, CodingSystems.CVX);
        Optional<Coding> ndcCoding = coding(dose, CodingSystems.NDC);
        if (cvxCoding.isEmpty() && ndcCoding.isEmpty()) {
            issues.add(error(IssueType.REQUIRED, "Immunization.vaccineCode", "The vaccine needs a CVX ("
                    + CodingSystems.CVX + ") or NDC (" + CodingSystems.NDC + ") code"));
            return Optional.empty();
        }
        Optional<String> fromNdc = Optional.empty();
        if (ndcCoding.isPresent()) {
            Optional<NdcProduct> product = codes.ndc(ndcCoding.get().getCode());
            if (product.isEmpty()) {
                issues.add(error(IssueType.CODEINVALID, "Immunization.vaccineCode", "NDC " + ndcCoding.get().getCode()
                        + " is not a vaccine in CDC's NDC tables"));
            }
            fromNdc = product.map(NdcProduct::cvx);
        }
        if (cvxCoding.isEmpty()) {
            return fromNdc;
        }
        String code = cvxCoding.get().getCode();
        Optional<Vaccine> vaccine = codes.vaccine(code);
        if (vaccine.isEmpty()) {
            issues.add(error(IssueType.CODEINVALID, "Immunization.vaccineCode", "CVX " + code + " is not a CDC vaccine code"));
            return Optional.empty();
        }
        Vaccine known = vaccine.get();
        if (administered && !known.status().active() && (known.status() != org.izfhir.codes.CodeStatus.INACTIVE
                || (given != null && known.lastUpdated() != null && given.isAfter(known.lastUpdated())))) {
            issues.add(error(IssueType.CODEINVALID, "Immunization.vaccineCode", "CVX " + known.cvx() + " ("
                    + known.shortName() + ") is " + known.status().label().toLowerCase(Locale.ROOT)
                    + (known.lastUpdated() == null ? "" : " since " + known.lastUpdated())
                    + ": an administered dose needs a code in use on its date (a historical dose may carry it)"));
        }
        if (fromNdc.isPresent() && !fromNdc.get().equals(known.cvx())) {
            issues.add(error(IssueType.CODEINVALID, "Immunization.vaccineCode", "NDC " + ndcCoding.get().getCode()
                    + " is CVX " + fromNdc.get() + ", not CVX " + known.cvx()));
        }
        return Optional.of(known.cvx());
    }

    /** The dose's MVX, checked; null when none was sent or it is not known. */
    private String manufacturer(Immunization dose, List<OperationOutcomeIssueComponent> issues) {
        if (!dose.getManufacturer().hasIdentifier() || !dose.getManufacturer().getIdentifier().hasValue()) {
            return null;
        }
        String mvx = dose.getManufacturer().getIdentifier().getValue();
        if (codes.manufacturer(mvx).isEmpty()) {
            issues.add(error(IssueType.CODEINVALID, "Immunization.manufacturer", "MVX " + mvx
                    + " is not a CDC manufacturer code"));
            return null;
        }
        return mvx;
    }

    private static Optional<Coding> coding(Immunization dose, String system) {
        return dose.getVaccineCode().getCoding().stream().filter(c -> system.equals(c.getSystem()) && c.hasCode()).findFirst();
    }

    /** Whether the given names are newborn placeholder words only ("Baby Boy", "BABYGIRL", "Newborn"). */
    private static boolean newborn(HumanName name) {
        List<String> words = NOT_A_LETTER.splitAsStream(name.getGivenAsSingleString().toUpperCase(Locale.ROOT))
                .filter(word -> !word.isEmpty()).toList();
        return !words.isEmpty() && (NEWBORN_WORDS.containsAll(words) || NEWBORN_WORDS.contains(String.join("", words)));
    }

    private static void warnMissing(List<OperationOutcomeIssueComponent> issues, boolean present, String path, String what) {
        if (!present) {
            issues.add(warning(IssueType.REQUIRED, path, "The " + what + " of an administered dose is missing"));
        }
    }

    static OperationOutcomeIssueComponent error(IssueType type, String path, String message) {
        return issue(IssueSeverity.ERROR, type, path, message);
    }

    static OperationOutcomeIssueComponent warning(IssueType type, String path, String message) {
        return issue(IssueSeverity.WARNING, type, path, message);
    }

    private static OperationOutcomeIssueComponent issue(IssueSeverity severity, IssueType type, String path, String message) {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent().setSeverity(severity).setCode(type)
                .setDiagnostics(message);
        issue.getDetails().setText(message);
        issue.addExpression(path);
        return issue;
    }
}
