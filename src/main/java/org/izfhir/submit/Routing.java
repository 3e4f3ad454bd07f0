package org.izfhir.submit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.izfhir.registry.RegistryConfig;

/**
 * Which registries are due a dose (the IZ Gateway's Connect and Share): the registry of the state
 * where it was given, and also the registry of the person's home state when that is another.
 * Registries say which states they serve ({@code states} in {@code registries.yaml}), and may take
 * no submissions.
 */
final class Routing {

    /** One registry due the dose, and why. */
    record Route(RegistryConfig registry, Delivery.Reason reason) {
    }

    /** The routes, and the states no registry covers (named in a warning, or a 422 when nothing is covered). */
    record Plan(List<Route> routes, Optional<String> givenIn, Optional<String> home, List<String> uncovered) {
    }

    private final List<RegistryConfig> registries;

    Routing(List<RegistryConfig> registries) {
        this.registries = registries.stream().filter(RegistryConfig::submissions).toList();
    }

    /** A registry that takes submissions, by id. */
    Optional<RegistryConfig> registry(String id) {
        return registries.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    Plan plan(Optional<String> givenIn, Optional<String> home) {
        List<Route> routes = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        givenIn.ifPresent(state -> add(routes, uncovered, state, Delivery.Reason.GIVEN_IN));
        home.filter(state -> !givenIn.equals(Optional.of(state)))
                .ifPresent(state -> add(routes, uncovered, state, Delivery.Reason.HOME));
        return new Plan(routes, givenIn, home, uncovered);
    }

    private void add(List<Route> routes, List<String> uncovered, String state, Delivery.Reason reason) {
        List<RegistryConfig> serving = registries.stream().filter(r -> r.states().contains(state)).toList();
        if (serving.isEmpty()) {
            uncovered.add(state);
        }
        for (RegistryConfig registry : serving) {
            if (routes.stream().noneMatch(route -> route.registry().id().equals(registry.id()))) {
                routes.add(new Route(registry, reason));
            }
        }
    }

    /** The state of the dose's Location, else of its performing Organization. */
    static Optional<String> givenIn(Optional<Location> location, Optional<Organization> organization) {
        return location.filter(Location::hasAddress).flatMap(l -> state(l.getAddress()))
                .or(() -> organization.flatMap(o -> o.getAddress().stream().map(Routing::state)
                        .flatMap(Optional::stream).findFirst()));
    }

    /** The state of the person's home address, else of their latest address. */
    static Optional<String> home(Patient patient) {
        List<Address> addresses = patient.getAddress().stream().filter(a -> state(a).isPresent()).toList();
        return addresses.stream().filter(a -> a.getUse() == Address.AddressUse.HOME && !a.getPeriod().hasEnd())
                .findFirst()
                .or(() -> addresses.stream().max(Comparator.comparing((Address a) -> a.getPeriod().hasStart()
                        ? a.getPeriod().getStart().getTime() : Long.MIN_VALUE)))
                .flatMap(Routing::state);
    }

    private static Optional<String> state(Address address) {
        return Optional.ofNullable(address.getState()).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(Locale.ROOT));
    }
}
