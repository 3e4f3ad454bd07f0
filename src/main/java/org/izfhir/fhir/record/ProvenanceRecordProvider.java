package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.izfhir.record.PersonRecord;
import org.springframework.stereotype.Component;

/** Provenance: which registry said what in a consolidated record, and when. */
@Component
public class ProvenanceRecordProvider implements RecordResourceProvider {

    private final RecordAccess access;

    ProvenanceRecordProvider(RecordAccess access) {
        this.access = access;
    }

    @Override
    public Class<Provenance> getResourceType() {
        return Provenance.class;
    }

    @Read
    public Provenance read(@IdParam IdType id, RequestDetails request) {
        return (Provenance) access.read("Provenance", id, request);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(@OptionalParam(name = Provenance.SP_PATIENT) ReferenceAndListParam patient,
                                  RequestDetails request) {
        List<PersonRecord> records = access.records(patient, "Provenance", request);
        List<Provenance> matches = new ArrayList<>();
        records.forEach(record -> matches.addAll(record.provenances()));
        return new RecordBundle(matches, page -> List.of());
    }
}
