package org.izfhir.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.izfhir.fhir.FhirInterceptor;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

/** The capability statement says the API is protected by SMART on FHIR, and where tokens come from. */
@Component
public class SmartCapabilityInterceptor implements FhirInterceptor {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private final AuthorizationServerSettings endpoints;

    public SmartCapabilityInterceptor(AuthorizationServerSettings endpoints) {
        this.endpoints = endpoints;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void addSecurity(IBaseConformance statement, RequestDetails request) {
        if (!(statement instanceof CapabilityStatement capabilities) || !capabilities.hasRest()) {
            return;
        }
        String base = request.getFhirServerBase();
        String issuer = base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = capabilities.getRestFirstRep().getSecurity();
        security.setCors(true);
        security.addService(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/restful-security-service",
                "SMART-on-FHIR", "SMART-on-FHIR")));
        security.setDescription("OAuth 2 access tokens (SMART App Launch 2); see " + base
                + "/.well-known/smart-configuration");
        Extension uris = security.addExtension().setUrl(OAUTH_URIS);
        uris.addExtension("authorize", new UriType(issuer + endpoints.getAuthorizationEndpoint()));
        uris.addExtension("token", new UriType(issuer + endpoints.getTokenEndpoint()));
        // introspection and revocation are in .well-known/smart-configuration: the oauth-uris extension defines neither
    }
}
