package org.izfhir.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The configured registries, in the order of the registries file. */
public final class Registries {

    private final Map<String, RegistryClient> byId = new LinkedHashMap<>();

    public Registries(List<RegistryClient> clients) {
        clients.forEach(client -> byId.put(client.id().toUpperCase(Locale.ROOT), client));
    }

    public List<RegistryClient> all() {
        return List.copyOf(byId.values());
    }

    /** By id, ignoring case. */
    public Optional<RegistryClient> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id.toUpperCase(Locale.ROOT)));
    }
}
