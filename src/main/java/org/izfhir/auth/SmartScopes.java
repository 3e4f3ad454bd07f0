package org.izfhir.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource scopes a token grants, SMART App Launch 2 ({@code system/Immunization.rs}) and 1
 * ({@code patient/*.read}), wildcards included. Scopes that are not resource scopes
 * ({@code openid}, {@code launch/patient}, ...) grant no resource access and are ignored here.
 * Granular scopes with a query ({@code patient/Observation.rs?category=...}) are not honoured yet:
 * they grant nothing rather than too much. Immutable.
 */
public final class SmartScopes {

    /** Whose data a scope reaches: one patient's, what a user may see, or anything (a backend service). */
    public enum Context {
        PATIENT, USER, SYSTEM
    }

    /** The SMART v2 permissions, in their scope order. */
    public enum Permission {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }
    }

    /** One resource scope: a context, a type ({@code *} for any) and its permissions. */
    public record Scope(Context context, String type, Set<Permission> permissions) {
        boolean grants(Context asked, String resourceType, Permission permission) {
            return context == asked && (type.equals("*") || type.equals(resourceType)) && permissions.contains(permission);
        }
    }

    private static final Pattern RESOURCE_SCOPE =
            Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|c?r?u?d?s?)");

    private final List<Scope> scopes;

    private SmartScopes(List<Scope> scopes) {
        this.scopes = List.copyOf(scopes);
    }

    /** The resource scopes among these scope strings. */
    public static SmartScopes of(Collection<String> granted) {
        List<Scope> scopes = new ArrayList<>();
        for (String text : granted) {
            parse(text).ifPresent(scopes::add);
        }
        return new SmartScopes(scopes);
    }

    /** A resource scope, or empty when {@code text} is not one (or one this server does not honour). */
    public static Optional<Scope> parse(String text) {
        Matcher m = RESOURCE_SCOPE.matcher(text);
        if (!m.matches() || m.group(3).isEmpty()) {
            return Optional.empty();
        }
        Context context = Context.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        switch (m.group(3)) {
            case "read" -> permissions.addAll(EnumSet.of(Permission.READ, Permission.SEARCH));
            case "write" -> permissions.addAll(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE));
            case "*" -> permissions.addAll(EnumSet.allOf(Permission.class));
            default -> {
                for (Permission p : Permission.values()) {
                    if (m.group(3).indexOf(p.letter()) >= 0) {
                        permissions.add(p);
                    }
                }
            }
        }
        return Optional.of(new Scope(context, m.group(2), permissions));
    }

    public List<Scope> scopes() {
        return scopes;
    }

    /** Whether some scope of this context grants {@code permission} on {@code resourceType} ({@code *}: on every type). */
    public boolean grants(Context context, String resourceType, Permission permission) {
        return scopes.stream().anyMatch(s -> s.grants(context, resourceType, permission));
    }

    /** The contexts of these scopes. */
    public Set<Context> contexts() {
        Set<Context> contexts = EnumSet.noneOf(Context.class);
        scopes.forEach(s -> contexts.add(s.context()));
        return contexts;
    }
}
