package org.izfhir.record;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.izfhir.codes.Codes;
import org.izfhir.codes.Vaccine;
import org.izfhir.codes.VaccineGroup;
import org.izfhir.hl7.CodingSystems;

/**
 * One dose per vaccine group and day: doses that registries report for the same vaccine group
 * (CVX or NDC, through CDC's code sets) on the same date, with the same completion, are one dose.
 * The merged dose is the richest report (administered over historical, a specific vaccine over an
 * "unspecified formulation", a combination over one of its parts, lot, manufacturer, performer),
 * completed from the others, with every registry's identifiers. What the others said differently
 * (another vaccine code, another lot) is kept as a note naming the registry.
 */
final class DoseMerger {

    /** A dose as one registry reported it. */
    record Reported(String registryId, Immunization immunization) {
    }

    /** A merged dose: the resource and every report it stands for. */
    record Merged(Immunization immunization, List<Reported> reports) {
        Set<String> registries() {
            Set<String> ids = new LinkedHashSet<>();
            reports.forEach(report -> ids.add(report.registryId()));
            return ids;
        }
    }

    private final Codes codes;

    DoseMerger(Codes codes) {
        this.codes = codes;
    }

    /** Merges the doses, in the order given (registry order, then as each registry sent them). */
    List<Merged> merge(List<Reported> doses) {
        List<Group> groups = new ArrayList<>();
        for (Reported dose : doses) {
            if (dose.immunization().getStatus() == Immunization.ImmunizationStatus.ENTEREDINERROR) {
                continue; // the registry itself says the dose was never given
            }
            Key key = key(dose.immunization());
            Group same = key == null ? null : groups.stream().filter(g -> g.accepts(key, dose.registryId()))
                    .findFirst().orElse(null);
            if (same == null) {
                groups.add(new Group(key, dose));
            } else {
                same.reports.add(dose);
            }
        }
        return groups.stream().map(this::merged).toList();
    }

    /** Which merged dose each reported Immunization became, for the registries' evaluations. */
    static Map<Immunization, Immunization> byReport(List<Merged> merged) {
        Map<Immunization, Immunization> map = new IdentityHashMap<>();
        for (Merged dose : merged) {
            dose.reports().forEach(report -> map.put(report.immunization(), dose.immunization()));
        }
        return map;
    }

    private Merged merged(Group group) {
        Reported richest = group.reports.stream().max(java.util.Comparator.comparingInt(this::richness)).orElseThrow();
        Immunization merged = richest.immunization().copy();
        for (Reported other : group.reports) {
            if (other != richest) {
                complete(merged, other);
            }
        }
        return new Merged(merged, List.copyOf(group.reports));
    }

    private int richness(Reported report) {
        Immunization dose = report.immunization();
        int points = Boolean.TRUE.equals(dose.getPrimarySourceElement().getValue()) ? 16 : 0;
        String cvx = cvx(dose);
        boolean specific = cvx != null && codes.vaccine(cvx).map(Vaccine::fullName)
                .map(name -> !name.toLowerCase(java.util.Locale.ROOT).contains("unspecified")).orElse(false);
        points += specific ? 8 : 0;
        points += codes.vaccineGroups(cvx).size();
        points += dose.hasLotNumber() ? 2 : 0;
        points += dose.hasManufacturer() ? 1 : 0;
        points += dose.hasPerformer() ? 1 : 0;
        points += dose.hasDoseQuantity() || dose.hasRoute() || dose.hasSite() ? 1 : 0;
        return points;
    }

    /** Fills what the merged dose lacks from another report; notes what the other report says differently. */
    private static void complete(Immunization merged, Reported other) {
        Immunization dose = other.immunization();
        for (Identifier identifier : dose.getIdentifier()) {
            if (merged.getIdentifier().stream().noneMatch(i -> Objects.equals(i.getSystem(), identifier.getSystem())
                    && Objects.equals(i.getValue(), identifier.getValue()))) {
                merged.addIdentifier(identifier.copy());
            }
        }
        if (!merged.hasLotNumber() && dose.hasLotNumber()) {
            merged.setLotNumber(dose.getLotNumber());
        } else if (dose.hasLotNumber() && !dose.getLotNumber().equalsIgnoreCase(merged.getLotNumber())) {
            note(merged, other, "reported lot number " + dose.getLotNumber());
        }
        if (!merged.hasExpirationDate() && dose.hasExpirationDate()) {
            merged.setExpirationDateElement(dose.getExpirationDateElement().copy());
        }
        if (!merged.hasManufacturer() && dose.hasManufacturer()) {
            merged.setManufacturer(dose.getManufacturer().copy());
        }
        if (!merged.hasPerformer()) {
            dose.getPerformer().forEach(performer -> merged.addPerformer(performer.copy()));
        }
        if (!merged.hasLocation() && dose.hasLocation()) {
            merged.setLocation(dose.getLocation().copy());
        }
        if (!merged.hasDoseQuantity() && dose.hasDoseQuantity()) {
            merged.setDoseQuantity(dose.getDoseQuantity().copy());
        }
        if (!merged.hasRoute() && dose.hasRoute()) {
            merged.setRoute(dose.getRoute().copy());
        }
        if (!merged.hasSite() && dose.hasSite()) {
            merged.setSite(dose.getSite().copy());
        }
        String mergedCode = cvx(merged);
        String otherCode = cvx(dose);
        if (otherCode != null && !otherCode.equals(mergedCode)) {
            Coding coding = dose.getVaccineCode().getCoding().stream()
                    .filter(c -> CodingSystems.CVX.equals(c.getSystem())).findFirst().orElseThrow();
            note(merged, other, "reported this dose as CVX " + otherCode
                    + (coding.hasDisplay() ? " (" + coding.getDisplay() + ")" : ""));
        }
    }

    private static void note(Immunization merged, Reported other, String text) {
        merged.addNote().setAuthor(new org.hl7.fhir.r4.model.StringType(other.registryId()))
                .setText(other.registryId() + " " + text);
    }

    private Key key(Immunization dose) {
        if (!dose.hasOccurrenceDateTimeType() || dose.getOccurrenceDateTimeType().getValueAsString() == null) {
            return null; // no date: nothing to compare it to
        }
        String date = dose.getOccurrenceDateTimeType().getValueAsString();
        if (date.length() < 10) {
            return null; // a year or a month is not a day
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Coding coding : dose.getVaccineCode().getCoding()) {
            String cvx = CodingSystems.CVX.equals(coding.getSystem()) ? coding.getCode()
                    : CodingSystems.NDC.equals(coding.getSystem())
                    ? codes.ndc(coding.getCode()).map(org.izfhir.codes.NdcProduct::cvx).orElse(null) : null;
            if (cvx == null) {
                continue;
            }
            List<VaccineGroup> known = codes.vaccineGroups(cvx);
            if (known.isEmpty()) {
                groups.add("CVX " + Codes.normalizeCvx(cvx)); // a code CDC does not group: only itself matches
            } else {
                known.forEach(group -> groups.add(group.name()));
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        boolean given = dose.getStatus() == Immunization.ImmunizationStatus.COMPLETED;
        return new Key(date.substring(0, 10), groups, given);
    }

    private static String cvx(Immunization dose) {
        return dose.getVaccineCode().getCoding().stream().filter(c -> CodingSystems.CVX.equals(c.getSystem()))
                .map(Coding::getCode).filter(Objects::nonNull).map(Codes::normalizeCvx).findFirst().orElse(null);
    }

    /** What makes two reports one dose: the day, the vaccine groups, and whether it was given. */
    private record Key(String date, Set<String> groups, boolean given) {
        boolean sameDose(Key other) {
            return date.equals(other.date) && given == other.given
                    && groups.stream().anyMatch(other.groups::contains);
        }
    }

    private static final class Group {
        private final Key key;
        private final List<Reported> reports = new ArrayList<>();

        Group(Key key, Reported first) {
            this.key = key;
            reports.add(first);
        }

        /** Another registry's report of the same dose; a registry's own two reports stay two doses. */
        boolean accepts(Key other, String registryId) {
            return key != null && key.sameDose(other)
                    && reports.stream().noneMatch(report -> report.registryId().equals(registryId));
        }
    }
}
