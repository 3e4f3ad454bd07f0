package org.izfhir.fhir.terminology;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.izfhir.codes.Codes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.stereotype.Component;

/**
 * Writes the code sets into the FHIR store at start-up, before the server reports ready, so that
 * {@code CodeSystem?url=http://hl7.org/fhir/sid/cvx} always answers with the data the server
 * runs on. Each resource keeps its id; an unchanged code set writes no new version.
 *
 * <p>It runs as the last step of the context's refresh, not after it: a stop asked for meanwhile
 * (SIGTERM) waits for the refresh to end, so the context never closes the database under it.
 */
@Component
class CodeSetPublisher implements ApplicationListener<ContextRefreshedEvent> {

    private static final Logger log = LoggerFactory.getLogger(CodeSetPublisher.class);

    private final Codes codes;
    private final DaoRegistry daos;
    private final ApplicationContext context;

    CodeSetPublisher(Codes codes, DaoRegistry daos, ApplicationContext context) {
        this.codes = codes;
        this.daos = daos;
        this.context = context;
    }

    /** Once, for this context: the management server's child context announces its own refresh here too. */
    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        for (MetadataResource resource : CodeSetResources.all(codes)) {
            IFhirResourceDao<IBaseResource> dao = daos.getResourceDao(resource.fhirType());
            DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
            log.info("Published {} {} version {}{}", resource.fhirType(), resource.getUrl(), resource.getVersion(),
                    outcome.isNop() ? " (unchanged)" : "");
        }
    }
}
