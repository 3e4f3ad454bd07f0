package org.izfhir.fhir;

/**
 * Marks a Spring bean as a HAPI interceptor of the FHIR API: {@link FhirServer} registers every
 * bean of this type. Implementations declare their hooks with {@code @Hook(Pointcut.X)}, one
 * concern per interceptor.
 */
public interface FhirInterceptor {
}
