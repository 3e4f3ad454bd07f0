package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.izfhir.auth.SmartScopes.Context;
import org.izfhir.auth.SmartScopes.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmartScopesTest {

    @Test
    void whenV2ScopesThenEachLetterIsItsPermission() {
        SmartScopes scopes = SmartScopes.of(List.of("system/Immunization.rs", "system/Patient.r"));

        assertThat(scopes.grants(Context.SYSTEM, "Immunization", Permission.SEARCH)).isTrue();
        assertThat(scopes.grants(Context.SYSTEM, "Immunization", Permission.CREATE)).isFalse();
        assertThat(scopes.grants(Context.SYSTEM, "Patient", Permission.READ)).isTrue();
        assertThat(scopes.grants(Context.SYSTEM, "Patient", Permission.SEARCH)).isFalse();
        assertThat(scopes.grants(Context.USER, "Immunization", Permission.SEARCH)).isFalse();
        assertThat(scopes.grants(Context.SYSTEM, "*", Permission.READ)).isFalse();
    }

    @Test
    void whenV1ScopesAndWildcardsThenReadIsReadAndSearchAndWriteIsTheRest() {
        SmartScopes read = SmartScopes.of(List.of("user/*.read"));
        SmartScopes write = SmartScopes.of(List.of("system/Organization.write"));
        SmartScopes all = SmartScopes.of(List.of("system/*.*"));

        assertThat(read.grants(Context.USER, "Provenance", Permission.SEARCH)).isTrue();
        assertThat(read.grants(Context.USER, "*", Permission.READ)).isTrue();
        assertThat(read.grants(Context.USER, "Provenance", Permission.UPDATE)).isFalse();
        assertThat(write.grants(Context.SYSTEM, "Organization", Permission.DELETE)).isTrue();
        assertThat(write.grants(Context.SYSTEM, "Organization", Permission.READ)).isFalse();
        assertThat(all.grants(Context.SYSTEM, "Anything", Permission.CREATE)).isTrue();
    }

    @Test
    void whenNotAResourceScopeOrOutOfOrderOrGranularThenItGrantsNothing() {
        assertThat(SmartScopes.of(List.of("openid", "fhirUser", "launch/patient", "offline_access",
                "system/Immunization.sr", "system/immunization.rs", "patient/Observation.rs?category=laboratory",
                "system/Immunization.")).scopes()).isEmpty();
        assertThat(SmartScopes.parse("patient/*.cruds")).hasValueSatisfying(s -> {
            assertThat(s.context()).isEqualTo(Context.PATIENT);
            assertThat(s.permissions()).containsExactlyInAnyOrder(Permission.values());
        });
    }

    @Test
    void whenRequestTouchesOtherTypesThenEachIsNeeded() {
        SystemRequestDetails chained = new SystemRequestDetails();
        chained.setResourceName("Immunization");
        chained.setParameters(Map.of("patient.family", new String[] {"Rivera"}, "_include", new String[] {"Immunization:patient"},
                "_revinclude", new String[] {"Provenance:target"}));
        SystemRequestDetails everything = new SystemRequestDetails();
        everything.setResourceName("Patient");
        everything.setOperation("$everything");

        assertThat(ScopeInterceptor.needs(chained, RestOperationTypeEnum.SEARCH_TYPE)).extracting(Object::toString)
                .containsExactlyInAnyOrder("Immunization.s", "Patient.s", "Patient.r", "Provenance.s");
        assertThat(ScopeInterceptor.needs(everything, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE))
                .extracting(Object::toString).containsExactly("Patient.r", "Immunization.r",
                        "ImmunizationRecommendation.r", "ImmunizationEvaluation.r", "Provenance.r");
        assertThat(ScopeInterceptor.needs(everything, RestOperationTypeEnum.METADATA)).isEmpty();
        // a transaction submits doses: its Patient, Location and Organization are their context
        assertThat(ScopeInterceptor.needs(everything, RestOperationTypeEnum.TRANSACTION)).extracting(Object::toString)
                .containsExactly("Immunization.c");
        assertThat(ScopeInterceptor.needs(everything, RestOperationTypeEnum.BATCH)).extracting(Object::toString)
                .containsExactly("*.c", "*.r", "*.u", "*.d", "*.s");
    }

    @Test
    void whenClientsFileHasMistakesThenEveryOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("smart-clients.yaml");
        Files.writeString(file, """
                clients:
                  - id: ehr
                    grant-types: [client_credentials]
                    auth-methods: [client_secret_basic]
                  - id: ehr
                    secret: "{noop}x"
                    scopes: [system/*.rs]
                """);

        assertThatThrownBy(() -> loadClients(file))
                .hasMessageContaining("client 'ehr' (entry 1): a secret is required")
                .hasMessageContaining("client 'ehr' (entry 2): id 'ehr' is used by an earlier entry")
                .hasMessageContaining("client 'ehr' (entry 2): grant-types are required");
    }

    @Test
    void whenClientsFileHasATypoThenTheClientAndTheKeyAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("smart-clients.yaml");
        Files.writeString(file, """
                clients:
                  - id: ehr
                    secrt: "{noop}x"
                    grant-types: [client_credentials]
                """);

        assertThatThrownBy(() -> loadClients(file))
                .hasMessageContaining("client 'ehr' (entry 1), key 'secrt': unknown key");
    }

    private static Object loadClients(Path file) {
        return SmartClientsFile.load(file, new org.springframework.mock.env.MockEnvironment(), new AuthProperties(List.of(),
                Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(30), List.of(), 18, java.util.Map.of(),
                Duration.ofDays(30)));
    }
}
