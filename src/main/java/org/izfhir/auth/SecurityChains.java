package org.izfhir.auth;

import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * SMART on FHIR: the OAuth 2 authorization server inside the application (Spring Authorization
 * Server, its state in the application's database) and the FHIR API as its resource server.
 * Three filter chains: the authorization server's endpoints; {@code /fhir

/**
 * What a request must show to pass, by where it goes, in the order a request meets them: CORS
 * and the URL checks in front of everything; then four filter chains, the first that matches
 * deciding: the authorization server's endpoints; {@code /fhir/**}, where every request but the
 * capability statement and the SMART discovery document needs a valid access token (what the
 * token's scopes allow is then checked by {@link ScopeInterceptor} before any registry is asked);
 * the pages people see when an app asks for their records; and the rest (the pages' assets, error
 * pages, the health card keys, the demo's registries and app), open, without sessions.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityChains {

    /** The FHIR endpoints anyone may read: what the server is, and how to get a token. */
    static final String METADATA = "/fhir/metadata", SMART_CONFIGURATION = "/fhir/.well-known/smart-configuration";

    /**
     * Leaves out the filter Spring Security puts before its chains when Spring MVC is present. It
     * looks up every request's MVC handler in advance, for request matchers that ask MVC; every
     * matcher here matches path patterns itself and asks nothing of MVC. The lookup cost 6.5% of
     * the server's CPU on an uncached consolidated search (JFR): it ran on every request, the
     * FHIR search and each of the demo registries' SOAP calls.
     *
     * <p>Spring Security (6.5) puts it in by wrapping the chains' definition in a composite of two:
     * the lookup, which it marks as infrastructure, and the chains. The infrastructure filters
     * leave the composite; the chains stay. Should Spring Security change how it adds the
     * filter, this finds nothing and changes nothing.
     */
    @Bean
    static BeanFactoryPostProcessor withoutMvcHandlerLookup() {
        return factory -> {
            if (factory instanceof BeanDefinitionRegistry registry
                    && registry.containsBeanDefinition(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME)) {
                ConstructorArgumentValues.ValueHolder filters = registry.getBeanDefinition(
                        AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME).getConstructorArgumentValues()
                        .getIndexedArgumentValue(0, null);
                if (filters != null && filters.getValue() instanceof List<?> list) {
                    list.removeIf(filter -> filter instanceof BeanDefinition definition
                            && definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE);
                }
            }
        };
    }

    /**
     * No observation per security filter per request (it cost as much as the rest of the chain):
     * requests are observed once, as HTTP server requests, 401 and 403 included.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * CORS for browser apps on other origins, per SMART and the Fetch standard, in front of every
     * filter chain: preflights of the bearer-token APIs are answered here, and their answers
     * (refusals included) carry the headers apps read. No credentials: these APIs take no cookies.
     */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties, AuthorizationServerSettings endpoints) {
        CorsConfiguration cors = new CorsConfiguration();
        if (properties.allowedOrigins().equals(List.of("*"))) {
            cors.addAllowedOrigin("*");
        } else {
            properties.allowedOrigins().forEach(cors::addAllowedOriginPattern);
        }
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("*"));
        cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate",
                "X-Request-ID"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        // matched on the path within the application: the FHIR API is a servlet of its own at /fhir/*, and
        // the path within its mapping (/Patient/1) would match nothing
        source.setAlwaysUseFullPath(true);
        for (String path : List.of("/fhir/**", "/.well-known/**", endpoints.getTokenEndpoint(),
                endpoints.getTokenRevocationEndpoint(), endpoints.getTokenIntrospectionEndpoint(),
                endpoints.getJwkSetEndpoint())) {
            source.registerCorsConfiguration(path, cors);
        }
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setName("cors");
        return registration;
    }

    /**
     * A URL with path parameters ({@code /fhir;a=b/Patient/x}) is a 400 before anything reads its
     * path: nothing here has a use for them, and Spring's path parsing fails on them with a 500.
     */
    @Bean
    FilterRegistrationBean<Filter> noPathParameters() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            if (request instanceof HttpServletRequest http && http.getRequestURI().indexOf(';') >= 0) {
                ((HttpServletResponse) response).sendError(HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            chain.doFilter(request, response);
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("noPathParameters");
        return registration;
    }

    /** A URL the web server's firewall refuses (a {@code ;} path parameter, an encoded slash) is a 400, not a 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler();
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http, RegisteredClientRepository clients,
                                            AuthorizationServerSettings endpoints, UserAccounts accounts,
                                            LinkedPeople people, AuthStore store, RevocationAwareTokens authorizations)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponses =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        tokenResponses.setAccessTokenResponseCustomizer(SmartTokens.patientInResponse());
        server.oidc(Customizer.withDefaults())
                .authorizationEndpoint(authorize -> authorize.consentPage(ConsentPage.PATH)
                        .authorizationRequestConverters(converters -> converters.replaceAll(PatientLaunch::withLaunchContext))
                        .authenticationProviders(providers -> providers.forEach(provider -> {
                            if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                codes.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                        .andThen(SmartTokens.audienceCheck()));
                            }
                        })))
                .tokenEndpoint(token -> token.accessTokenResponseHandler(tokenResponses))
                .clientAuthentication(client -> client.authenticationConverter(SmartTokens.publicRefresh(authorizations, clients))
                        .authenticationConverter(ClientAssertions.withoutClientId())
                        .authenticationProvider(SmartTokens.publicRefreshClients(clients))
                        .authenticationProviders(providers -> providers.forEach(provider -> {
                            if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                assertions.setJwtDecoderFactory(new ClientAssertions(store, endpoints.getTokenEndpoint(),
                                        Clock.systemUTC()));
                            }
                        })));
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, Customizer.withDefaults())
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .exceptionHandling(handling -> handling
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                new AndRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(
                                        endpoints.getAuthorizationEndpoint()), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                        .defaultAuthenticationEntryPointFor(new OAuthJsonErrors(), AnyRequestMatcher.INSTANCE))
                // before the authorization endpoint, which the configurer adds at this same place
                .addFilterBefore(new PatientLaunch(endpoints.getAuthorizationEndpoint(), clients, accounts, people),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain fhirApi(HttpSecurity http, RevocationAwareTokens decoder) throws Exception {
        FhirAuthErrors errors = new FhirAuthErrors();
        // Paths matched within the application, whatever servlet serves them (HAPI's, not Spring MVC's).
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(paths.matcher("/fhir/**"))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(paths.matcher(HttpMethod.GET, METADATA),
                                paths.matcher(HttpMethod.GET, SMART_CONFIGURATION)).permitAll()
                        .requestMatchers(paths.matcher(HttpMethod.OPTIONS, "/fhir/**")).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /** The pages people see when an app asks for their records: sign-in, the patient picker and consent. */
    @Bean
    @Order(3)
    SecurityFilterChain userPages(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher(LoginPage.PATH), paths.matcher("/logout"),
                        paths.matcher(PatientLaunch.PICKER), paths.matcher(ConsentPage.PATH)))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(login -> login.loginPage(LoginPage.PATH).permitAll())
                .logout(Customizer.withDefaults())
                .headers(headers -> headers.frameOptions(frame -> frame.deny()));
        return http.build();
    }

    /**
     * The rest: the pages' stylesheet, error pages, the health card keys, and in the demo its
     * registries (SOAP, as remote registries are) and its app (static files). None reads a session
     * or a cookie, so none is made, and there is nothing for CSRF protection to protect.
     */
    @Bean
    @Order(4)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
