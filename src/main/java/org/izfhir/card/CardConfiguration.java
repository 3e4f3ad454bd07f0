package org.izfhir.card;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** SMART Health Cards and the official record: keys, issuing, the PDF, and the keys' public JWKS. */
@Configuration(proxyBeanMethods = false)
public class CardConfiguration {

    /** Where verifiers find the cards' keys: {@code {iss}/.well-known/jwks.json}. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    @Bean
    CardKeys cardKeys(DataSource dataSource, CardProperties properties) {
        CardKeys keys = new CardKeys(new JdbcTemplate(dataSource), properties, Clock.systemUTC());
        keys.createSchema();
        return keys;
    }

    @Bean
    HealthCards healthCards(CardKeys keys) {
        return new HealthCards(keys::signing, Clock.systemUTC());
    }

    @Bean
    OfficialRecordPdf officialRecordPdf(CardProperties properties) {
        return new OfficialRecordPdf(properties);
    }

    /** The cards' public keys (open to any origin through the CORS filter: verifier apps in browsers fetch them). */
    @Bean
    ServletRegistrationBean<HttpServlet> cardJwks(CardKeys keys) {
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] body = keys.published().toString(true).getBytes(StandardCharsets.UTF_8);
                response.setContentType("application/json");
                response.setHeader("Cache-Control", "public, max-age=3600");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        };
        ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(servlet, JWKS_PATH);
        registration.setName("healthCardKeys");
        return registration;
    }
}
