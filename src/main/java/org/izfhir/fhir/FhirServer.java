package org.izfhir.fhir;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The FHIR R4 RESTful server: HAPI's {@link RestfulServer} over the JPA store, with the resource
 * types of {@link FhirServerProperties#resourceTypes()} and every interceptor bean of the
 * application registered (one interceptor per concern: errors, security, audit, ...).
 */
@Component
public class FhirServer extends RestfulServer {

    private final transient FhirServerProperties properties;
    private final transient IFhirSystemDao<?, ?> systemDao;
    private final transient ResourceProviderFactory resourceProviders;
    private final transient IJpaSystemProvider systemProvider;
    private final transient JpaStorageSettings storageSettings;
    private final transient ISearchParamRegistry searchParamRegistry;
    private final transient IValidationSupport validationSupport;
    private final transient DatabaseBackedPagingProvider pagingProvider;
    private final transient List<FhirInterceptor> interceptors;
    private final transient ObjectProvider<BuildProperties> build;

    FhirServer(FhirServerProperties properties, IFhirSystemDao<?, ?> systemDao, DaoRegistry daoRegistry,
               ResourceProviderFactory resourceProviders, IJpaSystemProvider systemProvider,
               JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
               IValidationSupport validationSupport, DatabaseBackedPagingProvider pagingProvider,
               List<FhirInterceptor> interceptors, ObjectProvider<BuildProperties> build) {
        super(systemDao.getContext());
        this.properties = properties;
        this.systemDao = systemDao;
        this.resourceProviders = resourceProviders;
        this.systemProvider = systemProvider;
        this.storageSettings = storageSettings;
        this.searchParamRegistry = searchParamRegistry;
        this.validationSupport = validationSupport;
        this.pagingProvider = pagingProvider;
        this.interceptors = interceptors;
        this.build = build;
        daoRegistry.setSupportedResourceTypes(properties.resourceTypes());
    }

    @Override
    protected void initialize() {
        getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
        setServerName("IZ FHIR Server");
        BuildProperties info = build.getIfAvailable();
        setServerVersion(info == null ? "development" : info.getVersion());
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setServerAddressStrategy(properties.serverAddress().isBlank()
                ? new IncomingRequestAddressStrategy()
                : new HardcodedServerAddressStrategy(properties.serverAddress()));
        registerProviders(resourceProviders.createProviders());
        registerProvider(systemProvider);
        setPagingProvider(pagingProvider);
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
                this, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription(
                "IZ FHIR Server: one consolidated immunization record from every registry");
        setServerConformanceProvider(capabilities);
        interceptors.forEach(this::registerInterceptor);
    }
}
