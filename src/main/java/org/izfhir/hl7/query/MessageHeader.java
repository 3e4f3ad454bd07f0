package org.izfhir.hl7.query;

import java.util.Objects;

/**
 * What a registry's configuration puts in MSH: sending and receiving application and facility
 * (MSH-3..6) and the processing id (MSH-11: P production, T training, D debugging).
 */
public record MessageHeader(String sendingApplication, String sendingFacility, String receivingApplication,
                            String receivingFacility, String processingId) {

    public MessageHeader {
        Objects.requireNonNull(sendingApplication, "sendingApplication");
        Objects.requireNonNull(sendingFacility, "sendingFacility");
        Objects.requireNonNull(receivingApplication, "receivingApplication");
        Objects.requireNonNull(receivingFacility, "receivingFacility");
        if (!processingId.equals("P") && !processingId.equals("T") && !processingId.equals("D")) {
            throw new IllegalArgumentException("processing id must be P, T or D, not '" + processingId + "'");
        }
    }
}
