package org.izfhir.codes;

import java.util.Objects;

/**
 * A CDC vaccine group (e.g. {@code DTAP}, {@code MMR}), identified by the CVX code that stands for
 * the whole group (usually its "unspecified formulation" code).
 *
 * @param name the group's name as CDC writes it
 * @param cvx  the CVX code CDC gives the group
 */
public record VaccineGroup(String name, String cvx) {

    public VaccineGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cvx, "cvx");
    }
}
