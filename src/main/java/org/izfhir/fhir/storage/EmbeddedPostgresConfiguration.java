package org.izfhir.fhir.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real PostgreSQL started inside the application, on a free loopback port, with its data in a
 * temporary folder that is removed at shutdown. On in the {@code demo} profile and in the tests, so
 * that a newcomer and the test suite run on the same database engine as production, with nothing
 * to install.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "izfhir.storage.embedded-postgres", havingValue = "true")
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /**
     * Stopped by the context, after every bean that uses it. The library's own JVM shutdown hook is
     * off: on SIGTERM it stopped the database at once, beside the context's orderly close, and
     * whatever was still running (HAPI's scheduled jobs, a start-up not yet finished) then waited
     * 30 s for a connection and failed with ERROR lines.
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{} (data is discarded at shutdown)", postgres.getPort());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("embedded-postgres");
        dataSource.setMaximumPoolSize(20);
        return dataSource;
    }
}
