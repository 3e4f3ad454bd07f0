package org.izfhir.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo registries ({@code izfhir.demo.*}, demo profile only).
 *
 * @param seeds      a folder per registry id ({@code NJ/}, {@code NY/}, …) of VXU files that seed it
 * @param username   the SOAP username the demo registries accept
 * @param password   the SOAP password the demo registries accept
 * @param registries fault knobs per registry id, as they stand at start-up
 */
@ConfigurationProperties("izfhir.demo")
public record DemoProperties(@DefaultValue("fhir-config/demo") Path seeds,
                             @DefaultValue("izfhir-demo") String username,
                             String password,
                             Map<String, Knobs> registries) {

    public DemoProperties {
        registries = registries == null ? Map.of() : Map.copyOf(registries);
    }

    /**
     * @param latency    added before every answer
     * @param fault      what goes wrong
     * @param faultRate  the share of calls that get the fault (0 to 1)
     * @param faultCalls when above 0, only the next this many calls get the fault
     */
    public record Knobs(@DefaultValue("0ms") Duration latency,
                        @DefaultValue("NONE") DemoFault fault,
                        @DefaultValue("1.0") double faultRate,
                        @DefaultValue("0") int faultCalls) {

        public static final Knobs NONE = new Knobs(Duration.ZERO, DemoFault.NONE, 1.0, 0);

        public Knobs {
            latency = latency == null ? Duration.ZERO : latency;
            fault = fault == null ? DemoFault.NONE : fault;
        }

        public static Knobs latency(Duration latency) {
            return new Knobs(latency, DemoFault.NONE, 1.0, 0);
        }

        public static Knobs fault(DemoFault fault) {
            return new Knobs(Duration.ZERO, fault, 1.0, 0);
        }

        /** The fault for the next {@code calls} calls only; normal answers after. */
        public static Knobs faultFor(DemoFault fault, int calls) {
            return new Knobs(Duration.ZERO, fault, 1.0, calls);
        }
    }
}
