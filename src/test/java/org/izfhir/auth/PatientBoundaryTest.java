package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The first wall's decisions, one request form per case: what a token for patient {@code pa}
 * may ask, and how each other form is refused (403, or 404 for another person's resource id).
 */
class PatientBoundaryTest {

    private static final RestfulServer SERVER = new RestfulServer(FhirContext.forR4Cached());
    private static final String BASE = "https://iz.example/fhir";
    private static final String A = "pa";

    private static ServletRequestDetails request(String type, String id, String query) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServer(SERVER);
        request.setFhirServerBase(BASE);
        request.setResourceName(type);
        if (!id.isEmpty()) {
            request.setId(new IdType(type + "/" + id));
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] nameValue = pair.split("=", 2);
                parameters.merge(nameValue[0], new String[] {nameValue[1]}, (x, y) -> {
                    String[] both = java.util.Arrays.copyOf(x, x.length + 1);
                    both[x.length] = y[0];
                    return both;
                });
            }
        }
        request.setParameters(parameters);
        return request;
    }

    @ParameterizedTest(name = "{0} {1} id={2} ?{3} -> {4}")
    @CsvSource(delimiter = ';', value = {
            // its own record, in every plain form
            "READ; Patient; pa; ; allowed",
            "READ; Immunization; pa-1a2b; ; allowed",
            "SEARCH_TYPE; Immunization; ; patient=pa; allowed",
            "SEARCH_TYPE; Immunization; ; patient=Patient/pa; allowed",
            "SEARCH_TYPE; Immunization; ; patient=https://iz.example/fhir/Patient/pa; allowed",
            "SEARCH_TYPE; Immunization; ; patient=pa&date=ge2020&_include=Immunization:patient&_count=5; allowed",
            "SEARCH_TYPE; Immunization; ; patient=pa&patient=Patient/pa; allowed",
            "SEARCH_TYPE; Immunization; ; patient=pa,Patient/pa; allowed",
            "SEARCH_TYPE; Patient; ; _id=pa; allowed",
            "EXTENDED_OPERATION_INSTANCE; Patient; pa; ; allowed",
            "EXTENDED_OPERATION_INSTANCE; Patient; pa; _count=10&_format=xml; allowed",
            // another person's ids: not found
            "READ; Patient; pb; ; 404",
            "READ; Immunization; pb-1a2b; ; 404",
            "READ; Immunization; pb; ; 404",
            "EXTENDED_OPERATION_INSTANCE; Patient; pb; ; 404",
            // every other form: refused, whoever it names
            "READ; Patient; pa/_history/1; ; 403",
            "VREAD; Patient; pa/_history/1; ; 403",
            "SEARCH_TYPE; Immunization; ; patient=Patient/pb/_history/pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=Patient/pa/_history/1; 403",
            "SEARCH_TYPE; Immunization; ; patient=https://iz.example/fhir/Patient/pb/_history/pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=https://elsewhere.example/fhir/Patient/pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=urn:uuid:pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=#pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=Group/pa; 403",
            "SEARCH_TYPE; Immunization; ; patient=pb; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa,pb; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&patient=pb; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa\\,pb; 403",
            "SEARCH_TYPE; Immunization; ; patient= pa; 403",
            "SEARCH_TYPE; Immunization; ; patient:Patient=pa; 403",
            "SEARCH_TYPE; Immunization; ; patient:missing=false; 403",
            "SEARCH_TYPE; Immunization; ; patient:not=pb; 403",
            "SEARCH_TYPE; Immunization; ; patient:identifier=x|pa; 403",
            "SEARCH_TYPE; Immunization; ; patient._id=pa; 403",
            "SEARCH_TYPE; Immunization; ; patient.family=Chen; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&subject=pb; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&_id=pb; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&date.x=1; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&_include:iterate=*; 403",
            "SEARCH_TYPE; Immunization; ; patient=pa&_has:Immunization:patient:_id=pb; 403",
            "SEARCH_TYPE; Immunization; ; date=ge2020; 403",
            "SEARCH_TYPE; Patient; ; _id=pb-x/pa; 403",
            "SEARCH_TYPE; Patient; ; _id=pa,pb; 403",
            "SEARCH_TYPE; Patient; ; _id:not=pb; 403",
            "SEARCH_TYPE; Patient; ; _id=pa&family=Chen; 403",
            "SEARCH_TYPE; Patient; ; family=Chen&given=Mia&birthdate=2023-05-10; 403",
            "SEARCH_TYPE; Patient; ; _id=pa&_id=pb; 403",
            "SEARCH_TYPE; AuditEvent; ; patient=pa; 403",
            "SEARCH_TYPE; Organization; ; ; 403",
            "EXTENDED_OPERATION_TYPE; Patient; ; ; 403",
            "EXTENDED_OPERATION_INSTANCE; Patient; pa; patient=pb; 403",
            "EXTENDED_OPERATION_INSTANCE; Immunization; pa-1; ; 403",
            "HISTORY_INSTANCE; Patient; pa; ; 403",
            "CREATE; Immunization; ; ; 403",
            "UPDATE; Patient; pa; ; 403",
            "DELETE; Patient; pa; ; 403",
            "TRANSACTION; ; ; ; 403",
            "SEARCH_SYSTEM; ; ; ; 403"})
    void decides(String operation, String type, String id, String query, String expected) {
        ServletRequestDetails request = request(type == null ? null : type, id == null ? "" : id, query == null ? "" : query);
        if (operation.startsWith("EXTENDED")) {
            request.setOperation(operation.endsWith("INSTANCE") && "Patient".equals(type) ? "$everything" : "$match");
        }
        RestOperationTypeEnum interaction = RestOperationTypeEnum.valueOf(operation);

        switch (expected) {
            case "allowed" -> assertThatCode(() -> PatientBoundary.check(request, interaction, A)).doesNotThrowAnyException();
            case "404" -> assertThatThrownBy(() -> PatientBoundary.check(request, interaction, A))
                    .isInstanceOf(ResourceNotFoundException.class);
            default -> assertThatThrownBy(() -> PatientBoundary.check(request, interaction, A))
                    .isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @ParameterizedTest(name = "{0} ?{1} asks for {2}")
    @CsvSource(delimiter = ';', value = {
            "pb; ; pb",
            "pb-1; ; pb",
            "; patient=Patient/pb/_history/pa; pb",
            "; patient=pa,pb&patient=Patient/pc; pa pb pc",
            "; patient.family=Chen; ''",
            "; patient=#pb&patient=pc; pc"})
    void namesThePatientsARequestAsksForAsItsHandlerWouldReadThem(String id, String query, String expected) {
        ServletRequestDetails request = request("Immunization", id == null ? "" : id, query == null ? "" : query);

        assertThat(String.join(" ", PatientBoundary.requested(request))).isEqualTo(expected);
    }
}
