package org.izfhir.auth;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * SMART on FHIR: the OAuth 2 authorization server inside the application (Spring Authorization
 * Server, its state in the application's database) and the FHIR API as its resource server.
 * Three filter chains: the authorization server's endpoints; {@code /fhir

/**
 * The pages people see when an app asks for their records (sign-in, the patient picker, consent;
 * the errors are {@link ErrorPages}'), their stylesheet, and the SMART discovery document.
 */
@Configuration(proxyBeanMethods = false)
public class PageConfiguration {

    @Bean
    Pages pages(PageProperties properties) {
        return new Pages(properties);
    }

    @Bean
    ServletRegistrationBean<Pages> pageAssets(Pages pages) {
        return servlet("pageAssets", pages, Pages.ASSETS);
    }

    @Bean
    ServletRegistrationBean<LoginPage> loginPage(Pages pages, RegisteredClientRepository clients) {
        return servlet("loginPage", new LoginPage(pages, clients), LoginPage.PATH);
    }

    @Bean
    ServletRegistrationBean<PatientPickerServlet> patientPicker(Pages pages, RegisteredClientRepository clients,
                                                                AuthorizationServerSettings endpoints) {
        return servlet("patientPicker", new PatientPickerServlet(pages, clients, endpoints.getAuthorizationEndpoint()),
                PatientLaunch.PICKER);
    }

    @Bean
    ServletRegistrationBean<ConsentPage> consentPage(Pages pages, RegisteredClientRepository clients,
                                                     RevocationAwareTokens authorizations, AuthProperties lifetimes,
                                                     AuthorizationServerSettings endpoints) {
        return servlet("consentPage", new ConsentPage(pages, clients, authorizations, lifetimes,
                endpoints.getAuthorizationEndpoint()), ConsentPage.PATH);
    }

    private static <S extends jakarta.servlet.Servlet> ServletRegistrationBean<S> servlet(String name, S servlet, String path) {
        ServletRegistrationBean<S> registration = new ServletRegistrationBean<>(servlet, path);
        registration.setName(name);
        return registration;
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(AuthorizationServerSettings endpoints) {
        return servlet("smartConfiguration", new SmartConfigurationServlet(endpoints), SecurityChains.SMART_CONFIGURATION);
    }
}
