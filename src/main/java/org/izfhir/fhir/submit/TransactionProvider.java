package org.izfhir.fhir.submit;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/** {@code POST /fhir} with a transaction Bundle: a person and their doses, submitted in one call. */
@Component
public class TransactionProvider {

    private final SubmissionEndpoint submissions;

    TransactionProvider(SubmissionEndpoint submissions) {
        this.submissions = submissions;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        return submissions.transaction(bundle, request);
    }
}
