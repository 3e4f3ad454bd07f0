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
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Writes the code sets into the FHIR store at start-up, before the server reports ready, so that
 * {@code CodeSystem?url=http://hl7.org/fhir/sid/cvx} always answers with the data the server
 * runs on. Each resource keeps its id; an unchanged code set writes no new version.
 */
@Component
class CodeSetPublisher implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CodeSetPublisher.class);

    private final Codes codes;
    private final DaoRegistry daos;

    CodeSetPublisher(Codes codes, DaoRegistry daos) {
        this.codes = codes;
        this.daos = daos;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (MetadataResource resource : CodeSetResources.all(codes)) {
            IFhirResourceDao<IBaseResource> dao = daos.getResourceDao(resource.fhirType());
            DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
            log.info("Published {} {} version {}{}", resource.fhirType(), resource.getUrl(), resource.getVersion(),
                    outcome.isNop() ? " (unchanged)" : "");
        }
    }
}
