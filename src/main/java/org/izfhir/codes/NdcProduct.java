package org.izfhir.codes;

import java.util.Objects;

/**
 * A vaccine product identified by an NDC, as CDC links it to CVX and MVX.
 *
 * @param ndc         the NDC in its 11-digit 5-4-2 form without hyphens
 * @param packaging   whether this NDC names the unit of use (the dose) or the unit of sale (the carton)
 * @param cvx         the CVX code of the product
 * @param mvx         the MVX code of its manufacturer, or {@code null} when CDC links none
 * @param productName the proprietary name
 * @param labeler     the labeler's name
 */
public record NdcProduct(String ndc, Packaging packaging, String cvx, String mvx, String productName, String labeler) {

    /** Which package an NDC names. */
    public enum Packaging { UNIT_OF_USE, UNIT_OF_SALE }

    public NdcProduct {
        Objects.requireNonNull(ndc, "ndc");
        Objects.requireNonNull(packaging, "packaging");
        Objects.requireNonNull(cvx, "cvx");
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(labeler, "labeler");
    }
}
