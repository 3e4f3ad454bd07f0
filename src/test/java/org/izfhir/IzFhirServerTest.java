package org.izfhir;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one integration test configuration: the whole application on a random port, in the
 * {@code demo} profile (embedded PostgreSQL, demo registries), with metrics exported as in
 * production, a consultation deadline of 2 s so that late registries cost little test time, and
 * the test SMART clients and accounts ({@code src/test/resources/auth}) beside the demo's. Every integration test uses exactly
 * this annotation and nothing that changes the context, so Spring starts it once per test run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = IzFhirApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"izfhir.record.deadline=2s", // a late registry is given up on in 2 s, not 10
                "management.server.port=0", // health and metrics on a random port of their own
                // a delivery that failed is retried within seconds, not half a minute
                "izfhir.submissions.first-retry=1s", "izfhir.submissions.poll-interval=300ms",
                "izfhir.auth.client-files=fhir-config/demo/smart-clients.yaml,src/test/resources/auth/test-smart-clients.yaml",
                "izfhir.auth.user-files=fhir-config/demo/users.yaml,src/test/resources/auth/test-users.yaml"})

@ActiveProfiles("demo")
@AutoConfigureObservability
public @interface IzFhirServerTest {
}
