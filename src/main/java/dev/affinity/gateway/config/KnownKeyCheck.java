package dev.affinity.gateway.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.core.ResolvableType;

/**
 * The keys the {@code affinity.*} classes accept, read from their fields in declaration order, so
 * an error message can list what the user could have meant.
 */
final class KnownKeyCheck {

    private KnownKeyCheck() {}

    /**
     * The type at {@code path} (elements after {@code affinity}), or {@code null} when an element
     * names no key: then {@code path} is cut to the known part.
     */
    static @Nullable ResolvableType typeAt(List<String> path, List<String> knownPart) {
        ResolvableType type = ResolvableType.forClass(AffinityProperties.class);
        for (String element : path) {
            ResolvableType next = child(type, element);
            if (next == null) {
                return null;
            }
            knownPart.add(element);
            type = next;
        }
        return type;
    }

    /** The dashed keys directly under an object of {@code type}; empty for a value (string, number, list). */
    static List<String> of(ResolvableType type) {
        List<String> keys = new ArrayList<>();
        Class<?> raw = type.resolve();
        if (!isGroup(raw)) {
            return keys;
        }
        for (Field field : raw.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    && BeanUtils.getPropertyDescriptor(raw, field.getName()) != null) {
                keys.add(ConfigName.dashed(field.getName()));
            }
        }
        return keys;
    }

    /** Whether {@code key} is one of {@code keys}, in any of the forms Spring Boot binds. */
    static boolean contains(List<String> keys, String key) {
        String wanted = canonical(key);
        return keys.stream().anyMatch(k -> canonical(k).equals(wanted));
    }

    private static @Nullable ResolvableType child(ResolvableType type, String element) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return null;
        }
        if (Map.class.isAssignableFrom(raw)) {
            return type.asMap().getGeneric(1); // any key is a map entry, e.g. a service id
        }
        if (List.class.isAssignableFrom(raw)) {
            return element.chars().allMatch(Character::isDigit)
                    ? type.asCollection().getGeneric(0)
                    : null;
        }
        if (!isGroup(raw)) {
            return null;
        }
        String wanted = canonical(element);
        for (Field field : raw.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    && canonical(field.getName()).equals(wanted)
                    && BeanUtils.getPropertyDescriptor(raw, field.getName()) != null) {
                return ResolvableType.forField(field);
            }
        }
        return null;
    }

    /** Our own property classes hold keys; everything else (strings, enums, durations) is a value. */
    private static boolean isGroup(@Nullable Class<?> type) {
        return type != null && !type.isEnum() && type.getPackageName().equals(KnownKeyCheck.class.getPackageName());
    }

    /** Spring Boot's relaxed binding: case and dashes do not matter. */
    private static String canonical(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
