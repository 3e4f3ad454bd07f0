package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.izfhir.IzFhirServerTest;
import org.izfhir.NodeProjects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The demo SMART app's whole flow in Debian's Chromium (src/test/node/browser/smart-launch.mjs):
 * SMART's fhirclient, served from 127.0.0.1, against the server on localhost; a first launch
 * (sign-in, picker, consent), fhirclient's refresh, the app's reads and searches, a search for
 * someone else refused as an OperationOutcome, a second launch with consent on record, Cancel on
 * the picker and on the sign-in page ({@code access_denied} at the app), a wrong password and an
 * error page. Each page passes axe-core's WCAG 2.1 AA rules, with no console error and no failed
 * request; the screenshots are kept in {@code target/failsafe-reports/browser}.
 */
@IzFhirServerTest
class BrowserLaunchIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));

    @LocalServerPort
    int port;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    OAuth2AuthorizationConsentService consents;

    @Test
    void whenAParentOpensHerChildsRecordInTheDemoAppThenEveryStepWorksInARealBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "the browser test needs Debian's Chromium at " + CHROMIUM
                + ": apt-get install -y chromium (.ci/run does), or -Dchromium=/path/to/chromium");
        Path test = NodeProjects.install("browser");
        Assumptions.assumeTrue(test != null, "the browser test needs Node and npm (playwright-core, axe-core)");
        // the first launch meets the consent page: forget what demo-parent consented to before
        var consent = consents.findById(clients.findByClientId("demo-consumer-app").getId(), "demo-parent");
        if (consent != null) {
            consents.remove(consent);
        }
        Path screenshots = Path.of("target", "failsafe-reports", "browser").toAbsolutePath();

        Process node = new ProcessBuilder(List.of("node", "smart-launch.mjs", String.valueOf(port), screenshots.toString(),
                CHROMIUM.toString())).directory(test.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(out).as("the browser's steps").contains("\"problems\":[]")
                .contains("\"consent\"", "\"record\"", "\"refresh\"", "\"refused\"", "\"second launch\"",
                        "\"app-declined\"", "\"cancel at sign-in\"", "\"sign-in-error\"", "\"error-unregistered-address\"");
        assertThat(node.exitValue()).isZero();
    }
}
