package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/** FHIR search semantics over the few resources of one record: dates and tokens. */
final class SearchFilters {

    private SearchFilters() {
    }

    /**
     * Whether any of the dates falls in the range: the date's own extent (a day is a day long)
     * must intersect the range, as FHIR compares dates of different precision.
     */
    static boolean date(DateRangeParam range, List<? extends BaseDateTimeType> dates) {
        if (range == null) {
            return true;
        }
        Date lower = range.getLowerBoundAsInstant();
        Date upper = range.getUpperBoundAsInstant();
        for (BaseDateTimeType date : dates) {
            if (date == null || date.getValueAsString() == null) {
                continue;
            }
            DateRangeParam extent = new DateRangeParam(new DateParam(ParamPrefixEnum.EQUAL, date.getValueAsString()));
            Date start = extent.getLowerBoundAsInstant();
            Date end = extent.getUpperBoundAsInstant();
            if ((lower == null || !end.before(lower)) && (upper == null || !start.after(upper))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a concept has a coding the token list names ({@code system|code}, {@code code} or {@code system|}). */
    static boolean token(TokenOrListParam tokens, List<CodeableConcept> concepts) {
        if (tokens == null) {
            return true;
        }
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            for (CodeableConcept concept : concepts) {
                for (Coding coding : concept.getCoding()) {
                    if (matches(token, coding.getSystem(), coding.getCode())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether a code (of a required binding, so without system) is one the token list names. */
    static boolean code(TokenOrListParam tokens, String code) {
        if (tokens == null) {
            return true;
        }
        return tokens.getValuesAsQueryTokens().stream().anyMatch(token -> matches(token, null, code));
    }

    private static boolean matches(TokenParam token, String system, String code) {
        boolean systemMatches = token.getSystem() == null || token.getSystem().isEmpty() || system == null
                || token.getSystem().equals(system);
        boolean codeMatches = token.getValue() == null || token.getValue().isEmpty() || token.getValue().equals(code);
        boolean matches = systemMatches && codeMatches && Objects.nonNull(code);
        return token.getModifier() == ca.uhn.fhir.rest.param.TokenParamModifier.NOT ? !matches : matches;
    }
}
