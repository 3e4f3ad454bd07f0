package org.izfhir.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The test messages of {@code src/test/resources/hl7/}. */
public final class Hl7TestMessages {

    private static final Pattern CDATA = Pattern.compile("<!\\[CDATA\\[(.*?)]]>", Pattern.DOTALL);

    private Hl7TestMessages() {
    }

    /** An example message of the CDC guide, by scenario name, with CR segment separators as on the wire. */
    public static String ig(String scenario) {
        return resource("/hl7/ig/" + scenario + ".hl7").replace("\n", "\r");
    }

    /** The HL7 answer inside a captured SOAP response of the IIS sandbox, as the SOAP client receives it. */
    public static String sandboxAnswer(String capture) {
        Matcher matcher = CDATA.matcher(resource("/hl7/sandbox/" + capture + ".hl7.resp.xml"));
        if (!matcher.find()) {
            throw new IllegalArgumentException(capture + " holds no CDATA answer");
        }
        return matcher.group(1);
    }

    public static String resource(String path) {
        try (InputStream in = Hl7TestMessages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
