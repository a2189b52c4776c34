package dev.affinity.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * Startup failures under {@code affinity.*}, told in the user's keys: a misspelled key is named as
 * written, with the keys that are known at that level; an invalid value is named by its key and its
 * rule. Spring Boot's own analyzers would show internal names ({@code Bindable@6f31df32},
 * {@code secretLongEnough}). Registered in {@code META-INF/spring.factories}; secrets are never
 * printed, only their length.
 */
public class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(AffinityProperties.PREFIX);

    private static final String DOCS = "docs/CONFIGURATION.md lists every key.";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before Spring Boot's generic bind analyzers
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!ROOT.equals(cause.getName()) && !ROOT.isAncestorOf(cause.getName())) {
            return null;
        }
        if (cause.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            List<String> lines = new ArrayList<>();
            unbound.getUnboundProperties().stream().sorted().forEach(p -> lines.add(unknownKey(p)));
            return new FailureAnalysis(
                    String.join(System.lineSeparator(), lines),
                    "Correct the spelling or remove the key. " + DOCS,
                    cause);
        }
        if (cause.getCause() instanceof BindValidationException invalid) {
            return new FailureAnalysis(
                    String.join(System.lineSeparator(), InvalidValueCheck.describe(invalid.getValidationErrors())),
                    "Correct the value in your configuration. " + DOCS,
                    cause);
        }
        if (cause.getProperty() != null) {
            return new FailureAnalysis(
                    unreadable(cause, cause.getProperty()), "Correct the value in your configuration. " + DOCS, cause);
        }
        return null;
    }

    /** A value that cannot be converted: {@code <key> must be one of a, b (got x)}. */
    static String unreadable(BindException cause, ConfigurationProperty property) {
        Class<?> type = cause.getTarget().getType().resolve(Object.class);
        String rule;
        if (type.isEnum()) {
            rule = "must be one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c)
                                    .name()
                                    .toLowerCase(Locale.ROOT)
                                    .replace('_', '-'))
                            .collect(Collectors.joining(", "));
        } else if (type == Duration.class) {
            rule = "must be a duration such as 500ms, 5s or 1m";
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            rule = "must be a whole number";
        } else if (type == boolean.class || type == Boolean.class) {
            rule = "must be true or false";
        } else {
            rule = "cannot be read as " + type.getSimpleName();
        }
        String key = InvalidValueCheck.key(writtenPath(property));
        String value = key.contains("secret") ? "" : " (got " + property.getValue() + ")";
        return key + " " + rule + value + origin(property);
    }

    /** {@code <key as written> is not a known key; known keys under <parent>: a, b, c}. */
    static String unknownKey(ConfigurationProperty property) {
        List<String> path = writtenPath(property);
        List<String> known = new ArrayList<>();
        KnownKeyCheck.typeAt(path, known);
        String parent = InvalidValueCheck.key(known);
        var parentType = KnownKeyCheck.typeAt(known, new ArrayList<>());
        List<String> keys = (parentType != null) ? KnownKeyCheck.of(parentType) : List.of();
        String text = InvalidValueCheck.key(path) + " is not a known key; "
                + (keys.isEmpty()
                        ? parent + " takes a value, not nested keys"
                        : "known keys under " + parent + ": " + String.join(", ", keys));
        return text + origin(property);
    }

    /** The elements after {@code affinity} as the user spelled them (e.g. {@code enableStickySessions}). */
    private static List<String> writtenPath(ConfigurationProperty property) {
        ConfigurationPropertyName name = userName(property);
        List<String> path = new ArrayList<>();
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            path.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return path;
    }

    /** The name as the user spelled it, when its source says; else Spring Boot's canonical form. */
    private static ConfigurationPropertyName userName(ConfigurationProperty property) {
        if (property.getSource() != null
                && property.getSource().getUnderlyingSource() instanceof EnumerablePropertySource<?> source) {
            for (String candidate : source.getPropertyNames()) {
                ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(candidate, '.');
                if (adapted.equals(property.getName())) {
                    return adapted;
                }
            }
        }
        return property.getName();
    }

    /** Where the key was written, when that is a file position. */
    private static String origin(ConfigurationProperty property) {
        Origin origin = property.getOrigin();
        if (origin instanceof PropertySourceOrigin wrapper && wrapper.getOrigin() != null) {
            origin = wrapper.getOrigin(); // the file position, if the source tracks one
        }
        return (origin instanceof TextResourceOrigin) ? " (" + origin + ")" : "";
    }
}
