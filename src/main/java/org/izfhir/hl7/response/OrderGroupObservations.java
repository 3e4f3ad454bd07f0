package org.izfhir.hl7.response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.izfhir.hl7.v2.Segment;

/** The OBX of one order group, by OBX-4 sub-id, with their LOINC codes. */
final class OrderGroupObservations {
    final Map<String, List<Segment>> bySubId = new LinkedHashMap<>();
    final List<Segment> all;
    int skipped;

    private OrderGroupObservations(List<Segment> all) {
        this.all = all;
    }

    static OrderGroupObservations of(List<Segment> obxs) {
        OrderGroupObservations observations = new OrderGroupObservations(obxs);
        for (Segment obx : obxs) {
            String code = code(obx);
            if (!known(code)) {
                observations.skipped++;
                continue;
            }
            observations.bySubId.computeIfAbsent(obx.get(4).trim(), key -> new ArrayList<>()).add(obx);
        }
        return observations;
    }

    static String code(Segment obx) {
        return obx.get(3, 1).trim();
    }

    private static boolean known(String code) {
        return switch (code) {
            case Loinc.FUNDING_ELIGIBILITY, Loinc.FUNDING_SOURCE, Loinc.VIS_DOCUMENT_TYPE, Loinc.VIS_PUBLISHED,
                 Loinc.VIS_PRESENTED, Loinc.VACCINE_TYPE, Loinc.SCHEDULE_USED -> true;
            default -> Loinc.isEvaluation(code) || Loinc.isForecast(code) || Loinc.isFinding(code)
                    || Loinc.DOSES_IN_SERIES.equals(code);
        };
    }

    boolean hasForecast() {
        return anyCode(all, Loinc::isForecast);
    }

    /** Whether any of these OBX has a code of that kind. */
    static boolean anyCode(List<Segment> obxs, Predicate<String> kind) {
        for (Segment obx : obxs) {
            if (kind.test(code(obx))) {
                return true;
            }
        }
        return false;
    }

    List<Segment> withCode(String code) {
        return all.stream().filter(obx -> code(obx).equals(code)).toList();
    }

    Optional<Segment> first(String subId, String code) {
        return bySubId.getOrDefault(subId, List.of()).stream().filter(obx -> code(obx).equals(code)).findFirst();
    }
}
