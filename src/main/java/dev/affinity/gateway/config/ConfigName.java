package dev.affinity.gateway.config;

import java.util.Locale;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/** How enum constants are spelt in configuration, JSON, logs and meter tags: {@code LEAST_REQUESTS -> least-requests}. */
public final class ConfigName {

    private ConfigName() {}

    /** The lower-case, dash-separated name of an enum constant. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The key of a property as users write it: Spring's dashed form, with a dash before a number too
     * ({@code retryOn5xx -> retry-on-5xx}, which binds the same: Spring ignores dashes when matching).
     */
    public static String dashed(String javaName) {
        return DataObjectPropertyName.toDashedForm(javaName).replaceAll("(?<=[a-z])(?=[0-9])", "-");
    }
}
