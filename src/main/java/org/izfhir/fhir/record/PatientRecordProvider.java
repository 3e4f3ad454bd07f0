package org.izfhir.fhir.record;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.izfhir.hl7.query.PersonQuery;
import org.izfhir.record.PersonMatcher;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.RecordService;
import org.izfhir.record.RegistryOutcomes;
import org.springframework.stereotype.Component;

/**
 * Patient: a person found across the registries by demographics, their consolidated record
 * ({@code $everything}), and scored candidates ({@code $match}).
 */
@Component
public class PatientRecordProvider implements RecordResourceProvider {

    /** The FHIR extension on {@code Bundle.entry.search} giving a match's grade. */
    static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";

    private final RecordAccess access;

    PatientRecordProvider(RecordAccess access) {
        this.access = access;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id, RequestDetails request) {
        return (Patient) access.read("Patient", id, request);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = "_id") TokenAndListParam ids,
            @OptionalParam(name = Patient.SP_FAMILY) StringParam family,
            @OptionalParam(name = Patient.SP_GIVEN) StringParam given,
            @OptionalParam(name = Patient.SP_BIRTHDATE) DateParam birthDate,
            @OptionalParam(name = Patient.SP_GENDER) TokenParam gender,
            @OptionalParam(name = Patient.SP_PHONE) TokenParam phone,
            @OptionalParam(name = Patient.SP_ADDRESS_STATE) StringParam state,
            @OptionalParam(name = Patient.SP_ADDRESS_POSTALCODE) StringParam postalCode,
            @OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = "mothers-maiden-name") StringParam mothersMaidenName,
            @IncludeParam(reverse = true, allow = {"Immunization:patient", "ImmunizationRecommendation:patient",
                    "ImmunizationEvaluation:patient", "Provenance:target", "Provenance:patient"}) Set<Include> revIncludes,
            RequestDetails request) {
        Map<String, String> demographics = new LinkedHashMap<>();
        put(demographics, "family", family == null ? null : family.getValue());
        put(demographics, "given", given == null ? null : given.getValue());
        put(demographics, "birthdate", birthDate == null ? null : birthDate.getValueAsString());
        put(demographics, "gender", gender == null ? null : gender.getValue());
        put(demographics, "phone", phone == null ? null : phone.getValue());
        put(demographics, "address-state", state == null ? null : state.getValue());
        put(demographics, "address-postalcode", postalCode == null ? null : postalCode.getValue());
        put(demographics, "identifier", identifier == null ? null : identifier.getValue());
        put(demographics, "mothers-maiden-name", mothersMaidenName == null ? null : mothersMaidenName.getValue());
        List<PersonRecord> records;
        if (!demographics.isEmpty()) {
            records = access.find(demographics, "", request).records();
        } else if (ids != null) {
            records = access.byIds(ids.getValuesAsQueryTokens().stream()
                    .flatMap(or -> or.getValuesAsQueryTokens().stream()).map(TokenParam::getValue).toList(), request);
        } else {
            throw new InvalidRequestException("Patient searches need family, given and birthdate (YYYY-MM-DD), or _id");
        }
        List<Patient> matches = records.stream().map(PersonRecord::patient).toList();
        return new RecordBundle(matches, Includes.of(records, Set.of(), revIncludes));
    }

    /** The whole consolidated record: Patient, doses, evaluations, forecasts, Provenance. */
    @Operation(name = "$everything", idempotent = true)
    public Bundle everything(@IdParam IdType id, RequestDetails request) {
        PersonRecord record = access.record(id, request);
        if (!record.patientId().equals(id.getIdPart())) {
            throw new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(id.withResourceType("Patient"));
        }
        Bundle bundle = searchset(request);
        List<Resource> resources = record.resources();
        bundle.setTotal(resources.size());
        for (Resource resource : resources) {
            bundle.addEntry().setFullUrl(fullUrl(request, resource)).setResource(resource.copy())
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        OperationOutcome outcome = record.outcome().copy();
        outcome.addIssue(RegistryOutcomes.askedAt(record.refreshedAt()));
        bundle.addEntry().setResource(outcome).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
        return bundle;
    }

    /**
     * FHIR {@code $match}: the people the registries hold who may be the one described, scored
     * and graded, best first; registries' own candidate lists are scored too.
     */
    @Operation(name = "$match", idempotent = false, type = Patient.class)
    public Bundle match(@OperationParam(name = "resource", min = 1) Patient resource,
                        @OperationParam(name = "onlySingleMatch") BooleanType onlySingleMatch,
                        @OperationParam(name = "onlyCertainMatches") BooleanType onlyCertainMatches,
                        @OperationParam(name = "count") IntegerType count,
                        RequestDetails request) {
        if (resource == null) {
            throw new InvalidRequestException("$match needs a Patient in the parameter 'resource'");
        }
        PersonQuery query = Demographics.query(resource);
        RecordService.Found found = access.find(query, request);
        List<Scored> scored = new ArrayList<>();
        for (PersonRecord record : found.records()) {
            scored.add(new Scored(record.patient(), access.match(query, record.patient())));
        }
        found.candidates().forEach(c -> scored.add(new Scored(c.patient(), c.match())));
        scored.removeIf(s -> s.match().grade() == PersonMatcher.Grade.CERTAINLY_NOT);
        scored.sort((a, b) -> b.match().score().compareTo(a.match().score()));
        if (onlyCertainMatches != null && onlyCertainMatches.booleanValue()) {
            scored.removeIf(s -> s.match().grade() != PersonMatcher.Grade.CERTAIN);
        }
        OperationOutcome outcome = found.outcome().copy();
        if (onlySingleMatch != null && onlySingleMatch.booleanValue() && scored.size() > 1) {
            boolean clearBest = scored.get(0).match().grade().atLeast(PersonMatcher.Grade.PROBABLE)
                    && !scored.get(1).match().grade().atLeast(PersonMatcher.Grade.PROBABLE);
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.MULTIPLEMATCHES)
                    .setDiagnostics(clearBest ? "several people may match; only the clear best is returned"
                            : "several people match equally well; add details (middle name, mother's maiden name, phone)");
            scored.subList(clearBest ? 1 : 0, scored.size()).clear();
        }
        int limit = count == null || count.getValue() == null ? scored.size() : Math.max(0, count.getValue());
        Bundle bundle = searchset(request);
        bundle.setTotal(Math.min(limit, scored.size()));
        for (Scored s : scored.subList(0, Math.min(limit, scored.size()))) {
            Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(s.patient().copy());
            if (s.patient().hasId()) {
                entry.setFullUrl(fullUrl(request, s.patient()));
            }
            entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH).setScore(s.match().score())
                    .addExtension(MATCH_GRADE, new CodeType(s.match().grade().code()));
        }
        bundle.addEntry().setResource(outcome).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
        return bundle;
    }

    private record Scored(Patient patient, PersonMatcher.Match match) {
    }

    private static String fullUrl(RequestDetails request, Resource resource) {
        return request.getFhirServerBase() + "/" + resource.fhirType() + "/" + resource.getIdPart();
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (value != null && !value.isBlank()) {
            values.put(name, value);
        }
    }

    /** An operation's searchset, with the self link that says what was asked (FHIR asks one of every searchset). */
    private static Bundle searchset(RequestDetails request) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation(Bundle.LINK_SELF).setUrl(request.getFhirServerBase() + "/" + request.getRequestPath());
        return bundle;
    }
}
