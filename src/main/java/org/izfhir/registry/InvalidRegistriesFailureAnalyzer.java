package org.izfhir.registry;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad registries file into a start-up report that says what to fix, without a stack trace. */
class InvalidRegistriesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRegistriesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidRegistriesException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct " + cause.file() + ", or point izfhir.registries-file (environment: IZFHIR_REGISTRIES_FILE) "
                        + "at another file. fhir-config/registries.yaml documents every key.", cause);
    }
}
