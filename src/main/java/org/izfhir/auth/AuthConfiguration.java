package org.izfhir.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.izfhir.record.RecordService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * SMART on FHIR: the OAuth 2 authorization server inside the application (Spring Authorization
 * Server, its state in the application's database) and the FHIR API as its resource server.
 * Three filter chains: the authorization server's endpoints; {@code /fhir

/**
 * SMART on FHIR: the OAuth 2 authorization server inside the application (Spring Authorization
 * Server), its state in the application's database so that every instance shares it: registered
 * clients, authorizations, consents, the token signing keys, the accounts people sign in with, and
 * the tokens it issues. Which requests need what is {@link SecurityChains}'; the pages people see
 * are {@link PageConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration {

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
}
