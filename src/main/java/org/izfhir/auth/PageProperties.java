package org.izfhir.auth;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the pages people see (sign-in, the patient picker, consent, errors) present the deployment
 * ({@code izfhir.pages}).
 *
 * @param name     the service's name, as people know it (a state's portal, say)
 * @param logo     a logo served by this server: a path ({@code /pages/logo.svg}) or empty for none;
 *                 the pages load nothing from another origin
 * @param accent   the colour of buttons and links, {@code #rrggbb}; white text on it must reach the
 *                 WCAG AA contrast of 4.5:1, which is checked at start
 * @param helpUrl  where people get help, or empty
 * @param helpText the words of the help link
 */
@ConfigurationProperties("izfhir.pages")
public record PageProperties(@DefaultValue("IZ FHIR Server") String name, @DefaultValue("") String logo,
                             @DefaultValue("#1d4f91") String accent, @DefaultValue("") String helpUrl,
                             @DefaultValue("Help") String helpText) {

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    public PageProperties {
        if (!COLOUR.matcher(accent).matches()) {
            throw new IllegalArgumentException("izfhir.pages.accent must be a colour #rrggbb, got '" + accent + "'");
        }
        accent = accent.toLowerCase(Locale.ROOT);
        double contrast = 1.05 / (luminance(accent) + 0.05);
        if (contrast < 4.5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "izfhir.pages.accent %s: white text on it has"
                    + " a contrast of %.1f:1, below the 4.5:1 of WCAG 2.1 AA; choose a darker colour", accent, contrast));
        }
        if (!logo.isEmpty() && (!logo.startsWith("/") || logo.startsWith("//"))) {
            throw new IllegalArgumentException("izfhir.pages.logo must be a path on this server (/...), got '" + logo + "'");
        }
    }

    /** Relative luminance, as WCAG 2.1 defines it. */
    static double luminance(String colour) {
        double[] channels = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(colour.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            channels[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    }
}
