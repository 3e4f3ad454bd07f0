package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The third wall: whatever produced an answer, it leaves only holding the token's patient's record. */
class PatientResponseCheckTest {

    private final PatientResponseCheck check = new PatientResponseCheck();
    private final ServletRequestDetails request = new ServletRequestDetails();

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static void signIn(String patient) {
        Jwt.Builder token = Jwt.withTokenValue("t").header("alg", "none").subject("demo-parent").audience(List.of("app"));
        if (patient != null) {
            token.claim(SmartTokens.PATIENT, patient);
        }
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(token.build()));
    }

    private static Immunization dose(String id, String patient) {
        Immunization dose = new Immunization().setPatient(new Reference("Patient/" + patient));
        dose.setId(id);
        return dose;
    }

    private static Bundle searchset(IBaseResource... resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (IBaseResource resource : resources) {
            bundle.addEntry().setResource((org.hl7.fhir.r4.model.Resource) resource);
        }
        return bundle;
    }

    private void assertWithheld(IBaseResource answer) {
        assertThatThrownBy(() -> check.check(request, new ResponseDetails(answer))).isInstanceOf(ForbiddenOperationException.class);
        assertThat(request.getUserData().get(PatientResponseCheck.BREACH)).isInstanceOf(RecordOwners.class);
    }

    @Test
    void whenTheAnswerHoldsOnlyThePatientsRecordThenItLeaves() {
        signIn("pa");
        Patient patient = new Patient();
        patient.setId("pa");
        Provenance provenance = new Provenance().addTarget(new Reference("Immunization/pa-1")).addTarget(new Reference("Patient/pa"));
        provenance.setId("pa-p1");

        assertThatCode(() -> check.check(request, new ResponseDetails(searchset(patient, dose("pa-1", "pa"), provenance,
                new OperationOutcome())))).doesNotThrowAnyException();
        assertThat(request.getUserData()).doesNotContainKey(PatientResponseCheck.BREACH);
    }

    @Test
    void whenAnIncludedPatientIsAnothersThenWithheld() {
        signIn("pa");
        Patient other = new Patient();
        other.setId("pb");

        assertWithheld(searchset(dose("pa-1", "pa"), other));
        assertThat(((RecordOwners) request.getUserData().get(PatientResponseCheck.BREACH)).patients()).contains("pb");
    }

    @Test
    void whenADoseIdIsTheTokensButItsPatientAnothersThenWithheld() {
        signIn("pa");

        assertWithheld(searchset(dose("pa-1", "pb")));
    }

    @Test
    void whenAProvenanceTargetsAnotherRecordThenWithheld() {
        signIn("pa");
        Provenance provenance = new Provenance().addTarget(new Reference("Immunization/pb-1"));
        provenance.setId("pa-p1");

        assertWithheld(searchset(provenance));
    }

    @Test
    void whenTheAnswerHoldsAResourceOfNoRecordThenWithheld() {
        signIn("pa");
        Organization organization = new Organization();
        organization.setId("o1");

        assertWithheld(searchset(dose("pa-1", "pa"), organization));
    }

    @Test
    void whenAnOperationsOutputHoldsAnothersDoseThenWithheld() {
        signIn("pa");
        Parameters output = new Parameters();
        output.addParameter().setName("wrapper").addPart().setName("dose").setResource(dose("pb-1", "pb"));

        assertWithheld(output);
    }

    @Test
    void whenAResourceHasNoIdOrContainsAnotherThenWithheld() {
        signIn("pa");
        Immunization noId = new Immunization().setPatient(new Reference("Patient/pa"));
        assertWithheld(searchset(noId));

        Immunization containing = dose("pa-1", "pa");
        containing.addContained(new Patient());
        assertWithheld(searchset(containing));
    }

    @Test
    void whenTheTokenHasNoPatientThenTheAnswerIsNotLimited() {
        signIn(null);

        assertThatCode(() -> check.check(request, new ResponseDetails(searchset(dose("pb-1", "pb")))))
                .doesNotThrowAnyException();
    }
}
