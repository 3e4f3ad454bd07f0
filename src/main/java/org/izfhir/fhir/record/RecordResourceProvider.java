package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.server.IResourceProvider;


/** Marks the providers of the consolidated records' types: {@code FhirServer} registers each bean of this type. */
public interface RecordResourceProvider extends IResourceProvider {
}
