package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.izfhir.fhir.FhirInterceptor;
import org.izfhir.record.RecordService;
import org.springframework.stereotype.Component;

/**
 * An app that comes back with its refresh token after the stored record is gone (retention) finds
 * its patient under the same id: before its request is served, the signed-in account's people
 * are found again in the registries, from the demographics the account holds, and the one whose
 * registry identifiers match those kept for the id ({@link RecordService#keepId}) gets it back.
 * Nobody else can: the id goes only to the same registry identifiers, found for the token's own
 * account. When the registries no longer hold the person, the request is a 404, as before.
 */
@Component
public class ReturningPatients implements FhirInterceptor {

    private final RecordService records;
    private final UserAccounts accounts;
    private final LinkedPeople people;

    ReturningPatients(RecordService records, UserAccounts accounts, LinkedPeople people) {
        this.records = records;
        this.accounts = accounts;
        this.people = people;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void findAgain(RequestDetails request) {
        Caller caller = Caller.current().filter(Caller::inPatientContext).orElse(null);
        if (caller != null && records.awaitsRefinding(caller.patient())) {
            accounts.account(caller.subject()).ifPresent(people::of);
        }
    }
}
