package dev.affinity.gateway.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Validation errors under {@code affinity.*} as one line each: the user's key, the rule, and the
 * value given ({@code affinity.cookie.secret must be at least 32 bytes, ... (got 12 bytes)}).
 *
 * <p>A constraint on a field names that field's key. A rule over several keys (an
 * {@code @AssertTrue} method) writes the keys it checks in its message relative to its own object
 * ({@code backoff must be ...} in {@code affinity.services.<id>.failover}); they become full keys
 * here. Secrets are shown as their length in bytes, never as their value.
 */
final class InvalidValueCheck {

    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private InvalidValueCheck() {}

    static List<String> describe(ValidationErrors errors) {
        Stream<String> lines = errors.getAllErrors().stream()
                .map(error -> (error instanceof FieldError field)
                        ? describe(field, errors.getBoundProperties())
                        : describe(error));
        return lines.distinct().sorted().toList();
    }

    private static String describe(ObjectError error) {
        return String.valueOf(error.getDefaultMessage());
    }

    private static String describe(FieldError error, Set<ConfigurationProperty> bound) {
        List<String> path = elements(error.getField());
        List<String> object = path.subList(0, path.size() - 1);
        String last = path.get(path.size() - 1);
        ResolvableType type = KnownKeyCheck.typeAt(object, new ArrayList<>());
        List<String> keys = (type != null) ? KnownKeyCheck.of(type) : List.of();
        String message = String.valueOf(error.getDefaultMessage());
        List<String> mentioned = new ArrayList<>();
        if (KnownKeyCheck.contains(keys, last)) { // e.g. @Min on max-attempts
            mentioned.add(last);
            return key(path) + " " + message + got(object, mentioned, bound);
        }
        Matcher words = WORD.matcher(message);
        StringBuilder text = new StringBuilder();
        while (words.find()) {
            String word = words.group();
            boolean isKey = keys.contains(word);
            if (isKey && !mentioned.contains(word)) { // a key named twice is shown once
                mentioned.add(word);
            }
            words.appendReplacement(text, Matcher.quoteReplacement(isKey ? key(with(object, word)) : word));
        }
        words.appendTail(text);
        return text + got(object, mentioned, bound);
    }

    /** {@code  (got <value>)} for the keys the user set, or nothing. */
    private static String got(List<String> object, List<String> mentioned, Set<ConfigurationProperty> bound) {
        List<String> parts = new ArrayList<>();
        for (String relative : mentioned) {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key(with(object, relative)), '.');
            List<String> values = bound.stream()
                    .filter(p -> name.equals(p.getName()) || name.isAncestorOf(p.getName()))
                    .sorted()
                    .map(p -> String.valueOf(p.getValue()))
                    .toList();
            if (values.isEmpty()) {
                continue;
            }
            String shown = relative.contains("secret") ? lengths(relative, values) : String.join(", ", values);
            parts.add((mentioned.size() == 1) ? shown : relative + "=" + shown);
        }
        return parts.isEmpty() ? "" : " (got " + String.join("; ", parts) + ")";
    }

    /** A secret's length, never its value; a list given as {@code a,b} counts each entry. */
    private static String lengths(String relative, List<String> values) {
        Stream<String> entries = relative.endsWith("secrets")
                ? values.stream().flatMap(v -> Arrays.stream(v.split(",")))
                : values.stream();
        return entries.map(v -> String.valueOf(v.trim().getBytes(StandardCharsets.UTF_8).length))
                        .collect(Collectors.joining(", "))
                + " bytes";
    }

    /** {@code services[hive].failover.maxAttempts} to {@code [services, hive, failover, max-attempts]}. */
    static List<String> elements(String fieldPath) {
        List<String> elements = new ArrayList<>();
        int i = 0;
        while (i < fieldPath.length()) {
            char c = fieldPath.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = fieldPath.indexOf(']', i);
                end = (end < 0) ? fieldPath.length() : end;
                elements.add(fieldPath.substring(i + 1, end)); // a map key or index: as written
                i = end + 1;
            } else {
                int end = i;
                while (end < fieldPath.length() && fieldPath.charAt(end) != '.' && fieldPath.charAt(end) != '[') {
                    end++;
                }
                elements.add(ConfigName.dashed(fieldPath.substring(i, end)));
                i = end;
            }
        }
        return elements;
    }

    /** {@code affinity.} followed by the path; list indexes as {@code [n]}. */
    static String key(List<String> path) {
        StringBuilder key = new StringBuilder(AffinityProperties.PREFIX);
        for (String element : path) {
            boolean index = !element.isEmpty() && element.chars().allMatch(Character::isDigit);
            key.append(index ? "[" + element + "]" : "." + element);
        }
        return key.toString();
    }

    private static List<String> with(List<String> path, String element) {
        List<String> longer = new ArrayList<>(path);
        longer.add(element);
        return longer;
    }
}
