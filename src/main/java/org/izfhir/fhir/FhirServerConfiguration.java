package org.izfhir.fhir;

import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Publishes the FHIR API at {@code /fhir}. */
@Configuration(proxyBeanMethods = false)
public class FhirServerConfiguration {

    @Bean
    DatabaseBackedPagingProvider pagingProvider(FhirServerProperties properties) {
        DatabaseBackedPagingProvider paging = new org.izfhir.fhir.record.RecordPagingProvider();
        paging.setDefaultPageSize(properties.defaultPageSize());
        paging.setMaximumPageSize(properties.maxPageSize());
        return paging;
    }

    @Bean
    ServletRegistrationBean<FhirServer> fhirServlet(FhirServer server) {
        ServletRegistrationBean<FhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
