package org.izfhir.submit;

/** What a submission does to a dose at the registries: RXA-21 (HL7 table 0206). */
public enum Action {
    ADD("A"),
    UPDATE("U"),
    DELETE("D");

    private final String code;

    Action(String code) {
        this.code = code;
    }

    /** The RXA-21 code, also the database value. */
    public String code() {
        return code;
    }

    public static Action ofCode(String code) {
        for (Action action : values()) {
            if (action.code.equals(code)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action '" + code + "'");
    }
}
