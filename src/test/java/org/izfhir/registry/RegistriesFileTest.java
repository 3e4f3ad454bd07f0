package org.izfhir.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.izfhir.hl7.query.QueryProfile;
import org.izfhir.registry.soap.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class RegistriesFileTest {

    @TempDir
    Path folder;

    private final StandardEnvironment environment = environment(Map.of("NJ_IIS_USER", "njuser", "NJ_IIS_PASSWORD", "s3cret"));

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        return environment;
    }

    private Path file(String yaml) throws IOException {
        Path file = folder.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String NJ = """
            registries:
              - id: NJ
                name: New Jersey IIS
                endpoint: https://iis.example.org/soap
                transport: cdc-2011
                facility-id: MYORG
                username: ${NJ_IIS_USER}
                password: ${NJ_IIS_PASSWORD}
                query-profile: Z44
                sending-application: IZFHIR
                receiving-application: NJIIS
                processing-id: P
                states: [nj]
                connect-timeout: 3s
                read-timeout: 15s
            """;

    @Test
    void readsEveryKeyAndResolvesSecretsFromTheEnvironment() throws IOException {
        List<RegistryConfig> registries = RegistriesFile.load(file(NJ), environment);

        RegistryConfig nj = registries.get(0);
        assertThat(nj.id()).isEqualTo("NJ");
        assertThat(nj.transport()).isEqualTo(Transport.CDC_2011);
        assertThat(nj.username()).isEqualTo("njuser");
        assertThat(nj.password()).isEqualTo("s3cret");
        assertThat(nj.queryProfile()).isEqualTo(QueryProfile.Z44);
        assertThat(nj.header().sendingFacility()).isEqualTo("MYORG");
        assertThat(nj.header().receivingApplication()).isEqualTo("NJIIS");
        assertThat(nj.header().receivingFacility()).isEqualTo("NJ");
        assertThat(nj.states()).containsExactly("NJ");
        assertThat(nj.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(nj.readTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(nj.toString()).doesNotContain("s3cret").doesNotContain("njuser");
    }

    @Test
    void theShippedTemplateAndDemoFilesAreValid() {
        assertThat(RegistriesFile.load(Path.of("fhir-config/registries.yaml"), environment)).isEmpty();
        StandardEnvironment demo = environment(Map.of("izfhir.demo.username", "u", "izfhir.demo.password", "p"));
        List<RegistryConfig> registries = RegistriesFile.load(Path.of("fhir-config/demo/registries.yaml"), demo);
        assertThat(registries).extracting(RegistryConfig::transport)
                .containsExactly(Transport.CDC_2011, Transport.CDC_2014, Transport.IZGW_HUB);
        assertThat(registries.get(2).destinationId()).isEqualTo("PA");
    }

    @Test
    void everyProblemNamesItsEntryAndKey() throws IOException {
        Path file = file("""
                registries:
                  - id: NJ
                    endpoint: https://iis.example.org/soap
                    transport: cdc-2013
                  - id: nj
                    transport: cdc-2014
                    password: ${NY_IIS_PASSWORD}
                  - name: no id
                    endpoint: ftp://iis.example.org
                    transport: izgw-hub
                    read-timeout: soon
                    processing-id: X
                """);

        assertThatThrownBy(() -> RegistriesFile.load(file, environment))
                .isInstanceOf(InvalidRegistriesException.class)
                .satisfies(e -> assertThat(((InvalidRegistriesException) e).problems()).containsExactlyInAnyOrder(
                        "registry 'NJ' (entry 1), key 'transport': 'cdc-2013' is not one of cdc-2011, cdc-2014, izgw-hub",
                        "registry 'nj' (entry 2), key 'endpoint': is missing",
                        "registry 'nj' (entry 2), key 'password': the placeholder ${NY_IIS_PASSWORD} is not set in the environment",
                        "registry 'nj' (entry 2), key 'id': 'nj' is used by an earlier entry; ids must be unique",
                        "registry (entry 3), key 'id': is missing",
                        "registry (entry 3), key 'endpoint': 'ftp://iis.example.org' must be an absolute http or https URL",
                        "registry (entry 3), key 'destination-id': is missing; the izgw-hub transport needs the hub's DestinationId",
                        "registry (entry 3), key 'processing-id': 'X' is not one of P (production), T (training), D (debugging)",
                        "registry (entry 3), key 'read-timeout': 'soon' is not a duration (write 500ms, 5s, 1m)"))
                .hasMessageStartingWith("Invalid registries file " + file + ":\n  - ");
    }

    @Test
    void anUnknownKeyIsAProblemNotSilence() throws IOException {
        Path file = file(NJ.replace("password:", "pasword:"));
        assertThatThrownBy(() -> RegistriesFile.load(file, environment))
                .hasMessageContaining("registry 'NJ' (entry 1), key 'pasword': unknown key");
    }

    @Test
    void aMissingFileOrBrokenYamlIsSaidPlainly() throws IOException {
        assertThatThrownBy(() -> RegistriesFile.load(folder.resolve("none.yaml"), environment))
                .hasMessageContaining("the file does not exist");
        Path broken = file("registries:\n  - id: NJ\n   endpoint: [x\n");
        assertThatThrownBy(() -> RegistriesFile.load(broken, environment)).hasMessageContaining("it is not valid YAML");
    }

    @Test
    void tlsStoresAreOpenedAtLoad() throws IOException {
        Path file = file(NJ + """
                    tls:
                      key-store: missing.p12
                      key-store-password: x
                """);
        assertThatThrownBy(() -> RegistriesFile.load(file, environment))
                .hasMessageContaining("registry 'NJ' (entry 1), key 'tls.key-store': 'missing.p12' does not exist");
    }
}
