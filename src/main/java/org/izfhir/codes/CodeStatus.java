package org.izfhir.codes;

import java.util.Locale;

/** The status CDC gives a CVX or MVX code. */
public enum CodeStatus {
    ACTIVE("Active"),
    INACTIVE("Inactive"),
    NEVER_ACTIVE("Never Active"),
    NON_US("Non-US");

    private final String label;

    CodeStatus(String label) {
        this.label = label;
    }

    /** The label CDC uses in its files, e.g. {@code Never Active}. */
    public String label() {
        return label;
    }

    /** The FHIR concept property code for this status, e.g. {@code never-active}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether a new administration may still be recorded with a code of this status. */
    public boolean active() {
        return this == ACTIVE;
    }

    static CodeStatus fromLabel(String label) {
        for (CodeStatus status : values()) {
            if (status.label.equalsIgnoreCase(label.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown code status '" + label + "'");
    }
}
