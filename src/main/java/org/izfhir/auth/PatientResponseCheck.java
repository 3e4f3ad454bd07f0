package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Optional;
import org.izfhir.fhir.FhirInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The third wall of the patient boundary: a patient-context token's answer leaves only when every
 * resource in it belongs to the token's patient ({@link RecordOwners}), whatever produced it (a
 * read, a search with includes, a page, an operation). Otherwise the answer is a 403, and the
 * audit records a serious failure naming whose records it held. It runs after every hook that
 * adds to the answer and before the audit of what was answered.
 */
@Component
public class PatientResponseCheck implements FhirInterceptor {

    /** Hook order: after the registries' outcome is added, before the audit and the encoding. */
    public static final int ORDER = -10;
    /** The request's user-data key of a refused answer's owners, for the audit. */
    static final String BREACH = PatientResponseCheck.class.getName() + ".breach";
    private static final Logger log = LoggerFactory.getLogger(PatientResponseCheck.class);

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = ORDER)
    public void check(RequestDetails request, ResponseDetails response) {
        Optional<Caller> caller = Caller.current().filter(Caller::inPatientContext);
        if (caller.isEmpty()) {
            return;
        }
        RecordOwners owners = RecordOwners.ofAnswer(request, response.getResponseResource());
        if (!owners.onlyOf(caller.get().patient())) {
            request.getUserData().put(BREACH, owners);
            log.error("patient boundary: an answer to a patient-context token held {} other record(s) and {} stray"
                    + " resource(s); refused ({} {})", owners.patients().stream()
                    .filter(p -> !p.equals(caller.get().patient())).count(), owners.strays().size(),
                    request.getRestOperationType(), request.getResourceName());
            throw new ForbiddenOperationException("This answer would hold resources outside this token's patient's"
                    + " record; it was withheld");
        }
    }
}
