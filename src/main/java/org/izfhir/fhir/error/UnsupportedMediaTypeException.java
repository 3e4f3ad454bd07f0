package org.izfhir.fhir.error;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** HTTP 415: the request body is in a format the FHIR API does not read. */
public final class UnsupportedMediaTypeException extends BaseServerResponseException {

    public static final int STATUS_CODE = 415;

    public UnsupportedMediaTypeException(String message) {
        super(STATUS_CODE, message);
    }
}
