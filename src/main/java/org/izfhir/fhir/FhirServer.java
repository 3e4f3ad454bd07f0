package org.izfhir.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.provider.ServerCapabilityStatementProvider;
import java.util.List;
import org.izfhir.RandomIds;
import org.izfhir.fhir.forecast.ImmdsForecastProvider;
import org.izfhir.fhir.record.HealthCardProvider;
import org.izfhir.fhir.record.RecordResourceProvider;
import org.izfhir.fhir.submit.TaskProvider;
import org.izfhir.fhir.submit.TransactionProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The FHIR R4 RESTful server: HAPI's {@link RestfulServer} with the consolidated records' types
 * served by their own providers (every {@link RecordResourceProvider} bean) and the other types of
 * {@link FhirServerProperties#resourceTypes()} by the JPA store, and every interceptor bean of the
 * application registered (one interceptor per concern: errors, security, audit, ...).
 */
@Component
public class FhirServer extends RestfulServer {

    private final transient FhirServerProperties properties;
    private final transient ResourceProviderFactory resourceProviders;
    private final transient TransactionProvider transactionProvider;
    private final transient TaskProvider taskProvider;
    private final transient DatabaseBackedPagingProvider pagingProvider;
    private final transient List<FhirInterceptor> interceptors;
    private final transient ObjectProvider<BuildProperties> build;
    private final transient List<RecordResourceProvider> recordProviders;
    private final transient ImmdsForecastProvider forecastProvider;
    private final transient HealthCardProvider cardProvider;

    FhirServer(FhirServerProperties properties, IFhirSystemDao<?, ?> systemDao, DaoRegistry daoRegistry,
               ResourceProviderFactory resourceProviders, TransactionProvider transactionProvider, TaskProvider taskProvider,
               DatabaseBackedPagingProvider pagingProvider,
               List<FhirInterceptor> interceptors, ObjectProvider<BuildProperties> build,
               List<RecordResourceProvider> recordProviders, ImmdsForecastProvider forecastProvider,
               HealthCardProvider cardProvider) {
        super(systemDao.getContext());
        this.properties = properties;
        this.resourceProviders = resourceProviders;
        this.transactionProvider = transactionProvider;
        this.taskProvider = taskProvider;
        this.pagingProvider = pagingProvider;
        this.interceptors = interceptors;
        this.build = build;
        this.recordProviders = recordProviders;
        this.forecastProvider = forecastProvider;
        this.cardProvider = cardProvider;
        daoRegistry.setSupportedResourceTypes(properties.resourceTypes());
    }

    @Override
    protected void initialize() {
        getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
        // Every reference the server writes names its target by id; the walk looking for in-memory
        // targets to contain costs a quarter of encoding a consolidated searchset.
        getFhirContext().getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        setServerName("IZ FHIR Server");
        BuildProperties info = build.getIfAvailable();
        setServerVersion(info == null ? "development" : info.getVersion());
        setDefaultResponseEncoding(EncodingEnum.JSON);
        // a submitted dose is answered with what each registry did with it; Prefer: return=representation for the dose
        setDefaultPreferReturn(ca.uhn.fhir.rest.api.PreferReturnEnum.OPERATION_OUTCOME);
        setServerAddressStrategy(properties.serverAddress().isBlank()
                ? new IncomingRequestAddressStrategy()
                : new HardcodedServerAddressStrategy(properties.serverAddress()));
        // The types this server serves itself (the record types, Task) are not the JPA store's; a transaction
        // submits doses (the store's system provider, with its transactions, history and housekeeping
        // operations, is not mounted).
        List<ca.uhn.fhir.rest.server.IResourceProvider> own = new java.util.ArrayList<>(recordProviders);
        own.add(taskProvider);
        java.util.Set<Class<?>> ownTypes = own.stream().map(p -> (Class<?>) p.getResourceType())
                .collect(java.util.stream.Collectors.toSet());
        registerProviders(resourceProviders.createProviders().stream().filter(provider ->
                !(provider instanceof ca.uhn.fhir.rest.server.IResourceProvider typed)
                        || !ownTypes.contains(typed.getResourceType())).toList());
        registerProviders(own);
        registerProvider(transactionProvider);
        registerProvider(forecastProvider);
        registerProvider(cardProvider);
        setPagingProvider(pagingProvider);
        // Built from the providers' own declarations, so that it claims exactly what each type supports.
        ServerCapabilityStatementProvider capabilities = new ServerCapabilityStatementProvider(this);
        setImplementationDescription(
                "IZ FHIR Server: one consolidated immunization record from every registry");
        setServerConformanceProvider(capabilities);
        interceptors.forEach(this::registerInterceptor);
        registerInterceptor(new NamesItsGuide());
    }

    /** The capability statement names the Implementation Guide (ig/) whose profiles the answers declare. */
    static final class NamesItsGuide {
        @ca.uhn.fhir.interceptor.api.Hook(ca.uhn.fhir.interceptor.api.Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void name(org.hl7.fhir.instance.model.api.IBaseConformance statement) {
            if (statement instanceof org.hl7.fhir.r4.model.CapabilityStatement capabilities) {
                capabilities.addImplementationGuide(org.izfhir.record.Profiles.GUIDE);
            }
        }
    }

    /**
     * The id HAPI gives a request without one ({@code X-Request-ID}): for tracing, not a secret, so
     * from a fast random source; HAPI's own draws on a secure random source, 1.3% of the server's
     * CPU on an uncached search (JFR).
     */
    @Override
    protected String newRequestId(int length) {
        return RandomIds.next(length);
    }
}
