package org.izfhir.demo;

import java.time.Clock;
import io.micrometer.observation.ObservationPredicate;
import org.izfhir.codes.Codes;
import org.izfhir.registry.EndpointResolver;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The demo registries and the demo SMART app, in the demo profile only. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

    @Bean
    DemoRegistries demoRegistries(DemoProperties properties, Codes codes) {
        return new DemoRegistries(properties, codes, Clock.systemDefaultZone());
    }

    @Bean
    DemoRegistryServlet demoRegistryServlet(DemoRegistries registries, DemoProperties properties) {
        return new DemoRegistryServlet(registries, properties);
    }

    @Bean
    ServletRegistrationBean<DemoRegistryServlet> demoRegistryServletRegistration(DemoRegistryServlet servlet) {
        ServletRegistrationBean<DemoRegistryServlet> registration =
                new ServletRegistrationBean<>(servlet, DemoEndpoints.PATH + "*");
        registration.setName("demoRegistries");
        registration.setAsyncSupported(true);
        return registration;
    }

    /** The demo registries' calls go to this server's own port. */
    @Bean
    EndpointResolver demoEndpoints(Environment environment) {
        return new DemoEndpoints(environment);
    }

    /**
     * The demo SMART app, {@code /demo-app/}: static files, SMART's JavaScript client among them
     * (from npm, by the build). Opened on 127.0.0.1, it is another origin than the server's.
     */
    @Bean
    WebMvcConfigurer demoApp() {
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler("/demo-app/**").addResourceLocations("classpath:/demo-app/");
            }

            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/demo-app", "/demo-app/");
                registry.addViewController("/demo-app/").setViewName("forward:/demo-app/index.html");
            }
        };
    }

    /** The demo registries stand for remote systems: their requests are not the server's, in metrics or traces. */
    @Bean
    ObservationPredicate demoRegistriesNotObserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith(DemoEndpoints.PATH));
    }
}
