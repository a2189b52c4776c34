package dev.affinity.gateway.config;

import java.util.Locale;

/** How enum constants are spelt in configuration, JSON, logs and meter tags: {@code LEAST_REQUESTS -> least-requests}. */
public final class ConfigNames {

    private ConfigNames() {}

    /** The lower-case, dash-separated name of an enum constant. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
