package org.izfhir.card;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMART Health Cards and the official record ({@code izfhir.cards}).
 *
 * @param issuer           the cards' {@code iss}: this server's public https base URL, without a
 *                         trailing slash (its keys are at {@code {issuer}/.well-known/jwks.json});
 *                         empty to derive it from each request (the demo)
 * @param keyStore         a PKCS#12 keystore holding the deployment's P-256 signing key; empty to
 *                         generate one and keep it in the database
 * @param keyStorePassword the keystore's password (from the environment)
 * @param keyAlias         the key's alias in the keystore
 * @param keyRotation      with generated keys: a new key signs from this age of the current one on;
 *                         the old ones stay published
 * @param issuerName       the issuing deployment's name, on the official record
 * @param authority        the jurisdiction's statement of authority, printed on the official record
 * @param signatureLine    whether the official record has a line for a signature
 * @param logo             a PNG printed at the top of the official record; empty for none
 */
@ConfigurationProperties("izfhir.cards")
public record CardProperties(
        @DefaultValue("") String issuer,
        @DefaultValue("") String keyStore,
        @DefaultValue("") String keyStorePassword,
        @DefaultValue("health-cards") String keyAlias,
        @DefaultValue("365d") Duration keyRotation,
        @DefaultValue("IZ FHIR Server") String issuerName,
        @DefaultValue("") String authority,
        @DefaultValue("false") boolean signatureLine,
        @DefaultValue("") String logo) {
}
