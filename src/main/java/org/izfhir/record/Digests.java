package org.izfhir.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a text as hex: the stored key of a query, stable ids of merged doses, the kept hashes of registry identifiers. */
final class Digests {

    private Digests() {
    }

    /** The first {@code bytes} bytes of the text's SHA-256, as lower-case hex. */
    static String sha256(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, Math.min(bytes, digest.length));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
