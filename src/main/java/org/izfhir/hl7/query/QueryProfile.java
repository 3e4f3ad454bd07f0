package org.izfhir.hl7.query;

/**
 * The two queries of the CDC guide.
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, §7 and appendix (profiles Z34, Z44)</a>
 */
public enum QueryProfile {
    /** Request a complete immunization history; answered by Z32 (history), Z31 (candidates) or Z33 (none, error). */
    Z34("Request Immunization History"),
    /** Request an evaluated history and forecast; answered by Z42, Z31 or Z33. */
    Z44("Request Evaluated History and Forecast");

    private final String queryName;

    QueryProfile(String queryName) {
        this.queryName = queryName;
    }

    /** QPD-1 text. */
    public String queryName() {
        return queryName;
    }
}
