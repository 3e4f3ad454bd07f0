package org.izfhir.hl7.submit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.message.VXU_V04;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.hl7.Hl7TestMessages;
import org.izfhir.hl7.query.MessageHeader;
import org.izfhir.hl7.response.RegistryResponse.Kind;
import org.izfhir.hl7.response.RegistryResponse;
import org.izfhir.hl7.response.ResponseReader;
import org.junit.jupiter.api.Test;

class VaccinationUpdateBuilderTest {

    private static final MessageHeader HEADER = new MessageHeader("IZFHIR", "IZFHIR-ORG", "NJIIS", "NJDOH", "P");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 21, 9, 0, 0, 0, ZoneOffset.UTC);

    private final ResponseReader reader = new ResponseReader();
    private final VaccinationUpdateBuilder builder = new VaccinationUpdateBuilder();

    @Test
    void whenDoseFromGuideExampleIsResentThenEveryMappedFieldSurvivesTheRoundTrip() throws Exception {
        RegistryResponse original = reader.read(Hl7TestMessages.ig("rsp-z32-one-dose-err-info"), "NJ");
        Patient patient = original.patient();
        Immunization dose = original.immunizations().get(0);

        String vxu = builder.build(dose, patient, HEADER, "VXU-1", NOW, "IZFHIR");
        RegistryResponse back = reader.read(vxu, "NJ");

        assertThat(back.kind()).isEqualTo(Kind.HISTORY);
        var json = FhirContext.forR4Cached().newJsonParser();
        Immunization again = back.immunizations().get(0);
        for (Immunization i : new Immunization[] {dose, again}) {
            i.setPatient(null);
        }
        assertThat(json.encodeResourceToString(again.setIdentifier(null)))
                .isEqualTo(json.encodeResourceToString(dose.copy().setIdentifier(null)));
        assertThat(back.patient().getNameFirstRep().getFamily()).isEqualTo(patient.getNameFirstRep().getFamily());
        assertThat(back.patient().getBirthDate()).isEqualTo(patient.getBirthDate());
        assertThat(back.patient().getIdentifierFirstRep().getValue()).isEqualTo("234814");
        assertThat(back.patient().getContactFirstRep().getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
    }

    @Test
    void whenBuiltThenHapiReadsAValidVxuStructure() throws Exception {
        RegistryResponse original = reader.read(Hl7TestMessages.ig("rsp-z32-history-with-iis-id"), "NJ");

        String vxu = builder.build(original.immunizations().get(0), original.patient(), HEADER, "VXU-2", NOW, "IZFHIR");

        try (HapiContext context = new DefaultHapiContext()) {
            context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
            context.setValidationContext(new NoValidation());
            VXU_V04 parsed = (VXU_V04) context.getPipeParser().parse(vxu);
            assertThat(parsed.getMSH().getMessageType().encode()).isEqualTo("VXU^V04^VXU_V04");
            assertThat(parsed.getMSH().getMessageProfileIdentifier(0).getEntityIdentifier().getValue()).isEqualTo("Z22");
            assertThat(parsed.getPID().getPatientName(0).getFamilyName().getSurname().getValue()).isEqualTo("Child");
            assertThat(parsed.getORDER().getRXA().getAdministeredCode().getIdentifier().getValue()).isEqualTo("03");
            assertThat(parsed.getORDER().getRXA().getAdministeredCode().getNameOfCodingSystem().getValue()).isEqualTo("CVX");
            assertThat(parsed.getORDER().getRXA().getCompletionStatus().getValue()).isEqualTo("CP");
            assertThat(parsed.getORDER().getRXA().getActionCodeRXA().getValue()).isEqualTo("A");
            assertThat(parsed.getORDER().getORC().getOrderControl().getValue()).isEqualTo("RE");
        }
    }

    @Test
    void whenRefusedThenRxaSaysRefusedWithTheReason() {
        RegistryResponse original = reader.read(Hl7TestMessages.ig("rsp-z32-history-with-iis-id"), "NJ");
        Immunization refusal = original.immunizations().get(0).copy();
        refusal.setStatus(Immunization.ImmunizationStatus.NOTDONE);
        refusal.getStatusReason().addCoding().setSystem("http://izfhir.org/fhir/CodeSystem/v2-NIP002").setCode("00")
                .setDisplay("Parental decision");

        String vxu = builder.build(refusal, original.patient(), HEADER, "VXU-3", NOW, "IZFHIR");
        Immunization back = reader.read(vxu, "NJ").immunizations().get(0);

        assertThat(vxu).contains("|00^Parental decision^NIP002||RE|A");
        assertThat(back.getStatus()).isEqualTo(Immunization.ImmunizationStatus.NOTDONE);
        assertThat(back.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("00");
    }
}
