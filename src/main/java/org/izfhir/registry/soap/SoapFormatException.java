package org.izfhir.registry.soap;

/** The bytes are not a SOAP envelope this service understands (the message says why, without content). */
public class SoapFormatException extends Exception {

    public SoapFormatException(String message) {
        super(message);
    }

    public SoapFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
