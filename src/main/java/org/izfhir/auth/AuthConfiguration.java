package org.izfhir.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.izfhir.record.RecordService;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
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
 * Three filter chains: the authorization server's endpoints; {@code /fhir/**}, where every request
 * but the capability statement and the SMART discovery document needs a valid access token (what
 * the token's scopes allow is then checked by {@link ScopeInterceptor} before any registry is
 * asked); and the rest (operations endpoints, the demo registries), open as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class AuthConfiguration {

    /** The FHIR endpoints anyone may read: what the server is and how to get a token. */
    static final String[] PUBLIC_FHIR = {"/fhir/metadata", "/fhir/.well-known/smart-configuration"};

    /**
     * Leaves out the filter Spring Security puts before its chains when Spring MVC is present. It
     * looks up every request's MVC handler in advance, for request matchers that ask MVC; every
     * matcher here matches path patterns itself and asks nothing of MVC. The lookup cost 6.5% of
     * the server's CPU on an uncached consolidated search (JFR): it ran on every request, the
     * FHIR search and each of the demo registries' SOAP calls. Should Spring Security change how
     * it adds the filter, this finds nothing and changes nothing.
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
                            && definition.getBeanClassName() != null
                            && definition.getBeanClassName().endsWith("HandlerMappingIntrospectorCacheFilterFactoryBean"));
                }
            }
        };
    }

    @Bean
    AuthStore authStore(DataSource dataSource) {
        AuthStore store = new AuthStore(new JdbcTemplate(dataSource));
        store.createSchema();
        return store;
    }

    /** The token signing keys, rotated every {@code izfhir.auth.key-rotation}; the JWKS publishes them. */
    @Bean
    TokenKeys tokenKeys(AuthStore store, DataSource dataSource, AuthProperties properties) { // store: its table exists
        return new TokenKeys(new JdbcTemplate(dataSource), properties.keyRotation(), Clock.systemUTC());
    }

    /**
     * Tokens checked by signature and time, then against their stored authorization (revocation);
     * also the authorization server's store of authorizations, so that it learns of revocations.
     */
    @Bean
    RevocationAwareTokens tokens(TokenKeys keys, DataSource dataSource,
                                 RegisteredClientRepository clients) {
        return new RevocationAwareTokens(OAuth2AuthorizationServerConfiguration.jwtDecoder(keys),
                new JdbcOAuth2AuthorizationService(new JdbcTemplate(dataSource), clients));
    }

    /**
     * The registered clients, in the database; those of the clients files are stored (again) at
     * start, once {@code store} has made the tables.
     */
    @Bean
    RegisteredClientRepository registeredClients(DataSource dataSource, AuthStore store, AuthProperties properties,
                                                  Environment environment) {
        JdbcRegisteredClientRepository repository = new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource));
        for (String file : properties.clientFiles()) {
            List<RegisteredClient> clients = SmartClientsFile.load(Path.of(file), environment, properties);
            clients.forEach(repository::save);
        }
        return repository;
    }

    @Bean
    OAuth2AuthorizationConsentService consents(DataSource dataSource, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(new JdbcTemplate(dataSource), clients);
    }

    /**
     * No observation per security filter per request (it cost as much as the rest of the chain):
     * requests are observed once, as HTTP server requests, 401 and 403 included.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }

    @Bean
    UserAccounts userAccounts(AuthProperties properties, Environment environment) {
        return UserAccounts.load(properties.userFiles(), environment);
    }

    /** Access and ID tokens as signed JWTs with the launch's claims; refresh tokens for offline access. */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(TokenKeys keys, RecordService records, AuthProperties lifetimes) {
        JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(keys.signingSource()));
        jwts.setJwtCustomizer(SmartTokens.launchClaims(
                patient -> records.keepId(patient, java.time.Instant.now().plus(lifetimes.refreshTokenTtl()))));
        return new DelegatingOAuth2TokenGenerator(jwts, SmartTokens.refreshTokens());
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
    @Order(2)
    SecurityFilterChain fhirApi(HttpSecurity http, RevocationAwareTokens decoder) throws Exception {
        FhirAuthErrors errors = new FhirAuthErrors();
        // Paths matched within the application, whatever servlet serves them (HAPI's, not Spring MVC's).
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(paths.matcher("/fhir/**"))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(paths.matcher(HttpMethod.GET, PUBLIC_FHIR[0]),
                                paths.matcher(HttpMethod.GET, PUBLIC_FHIR[1])).permitAll()
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

    @Bean
    @Order(4)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(AuthorizationServerSettings endpoints) {
        return servlet("smartConfiguration", new SmartConfigurationServlet(endpoints), PUBLIC_FHIR[1]);
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
}
