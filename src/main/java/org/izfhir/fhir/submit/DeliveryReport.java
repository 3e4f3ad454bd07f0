package org.izfhir.fhir.submit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.submit.Delivery;
import org.izfhir.submit.DeliveryState;

/**
 * A submitter's deliveries over a period, counted by registry, outcome and error code (the IIP's
 * recommendation: nobody reads acknowledgments one by one). As FHIR Parameters, one {@code row}
 * per count, or as CSV for a spreadsheet.
 */
final class DeliveryReport {

    /** One count: deliveries to a registry with an outcome, and an error code when the row is about one. */
    record Row(String registryId, DeliveryState state, String codeSystem, String code, String codeText) {
    }

    private final Map<Row, Integer> counts = new TreeMap<>((a, b) -> key(a).compareTo(key(b)));

    DeliveryReport(List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            counts.merge(new Row(delivery.registryId(), delivery.state(), "", "", ""), 1, Integer::sum);
            for (OperationOutcome.OperationOutcomeIssueComponent issue : delivery.outcome().getIssue()) {
                if (issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING) {
                    for (Coding coding : issue.getDetails().getCoding()) {
                        counts.merge(new Row(delivery.registryId(), delivery.state(), coding.getSystem(), coding.getCode(),
                                coding.hasDisplay() ? coding.getDisplay() : ""), 1, Integer::sum);
                    }
                }
            }
        }
    }

    private static String key(Row row) {
        return row.registryId() + "\u0000" + row.state().ordinal() + "\u0000" + row.codeSystem() + "\u0000" + row.code();
    }

    Parameters parameters(Period period) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("period").setValue(period);
        counts.forEach((row, count) -> {
            Parameters.ParametersParameterComponent p = parameters.addParameter().setName("row");
            p.addPart().setName("registry").setValue(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                    .setSystem(org.izfhir.record.Consolidator.REGISTRY_ID_SYSTEM).setValue(row.registryId())));
            p.addPart().setName("outcome").setValue(new Coding(DeliveryState.SYSTEM, row.state().code(), row.state().words()));
            if (!row.code().isEmpty()) {
                p.addPart().setName("error").setValue(new Coding(row.codeSystem(), row.code(),
                        row.codeText().isEmpty() ? null : row.codeText()));
            }
            p.addPart().setName("count").setValue(new IntegerType(count));
        });
        return parameters;
    }

    Binary csv() {
        StringBuilder csv = new StringBuilder("registry,outcome,error_system,error_code,error_text,count\r\n");
        counts.forEach((row, count) -> csv.append(String.join(",", cell(row.registryId()), cell(row.state().code()),
                cell(row.codeSystem()), cell(row.code()), cell(row.codeText()), String.valueOf(count))).append("\r\n"));
        return new Binary().setContentType("text/csv").setData(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 4180, and a leading = + - @ defused, so that no spreadsheet runs a registry's text as a formula. */
    private static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return text.matches(".*[\",\r\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

}
