package dev.affinity.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/CONFIGURATION.md cannot drift from the code: every {@code affinity.*} key in the metadata the
 * configuration processor generates is a row there with its default, and every {@code affinity.*}
 * row is a key. The processor cannot describe a map's values, so {@code affinity.services.<id>.*}
 * comes from the service classes by the rule startup validation uses ({@link KnownKeyCheck}).
 */
class ConfigurationReferenceTests {

    static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    static final Path REFERENCE = Path.of("docs/CONFIGURATION.md");

    static final String SERVICE = AffinityProperties.PREFIX + ".services.<id>";

    /** A table row: {@code | `key` | default | meaning |}. */
    static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]*) \\|");

    @Test
    void shouldDocumentEveryKeyWithItsDefaultAndNoOtherKey() throws IOException {
        Map<String, @Nullable Object> code = keysInCode();
        Map<String, String> documented = documentedKeys();
        List<String> problems = new ArrayList<>();
        code.forEach((key, value) -> {
            String doc = documented.get(key);
            if (doc == null) {
                problems.add(key + ": missing from " + REFERENCE + "; add a row | `" + key + "` | `" + shown(value)
                        + "` | <meaning> |");
            } else if (!sameDefault(value, doc)) {
                problems.add(key + ": " + REFERENCE + " says default " + doc + ", the code " + shown(value));
            }
        });
        documented.keySet().stream()
                .filter(key -> key.startsWith(AffinityProperties.PREFIX + ".") && !code.containsKey(key))
                .forEach(key -> problems.add(key + ": in " + REFERENCE + ", but neither " + METADATA.getFileName()
                        + " nor the " + SERVICE + " classes have it (renamed or removed? a property class"
                        + " of its own needs @NestedConfigurationProperty)"));
        assertThat(problems)
                .withFailMessage("%n%s", String.join("\n", problems))
                .isEmpty();
    }

    /** Every {@code affinity.*} key with its default (null: none), {@code affinity.services} expanded. */
    static Map<String, @Nullable Object> keysInCode() throws IOException {
        assertThat(METADATA)
                .as("compile first: the configuration processor writes it")
                .exists();
        Map<String, @Nullable Object> keys = new LinkedHashMap<>();
        for (JsonNode property :
                JsonMapper.builder().build().readTree(METADATA.toFile()).path("properties")) {
            String name = property.path("name").asString();
            if (name.equals(AffinityProperties.PREFIX + ".services")) {
                serviceKeys(new ArrayList<>(List.of("services", "<id>")), keys);
            } else if (name.startsWith(AffinityProperties.PREFIX + ".")) {
                String value = property.has("defaultValue")
                        ? property.get("defaultValue").asString()
                        : null;
                boolean duration = property.path("type").asString().equals(Duration.class.getName());
                keys.put(name, (value != null && duration) ? DurationStyle.detectAndParse(value) : value);
            }
        }
        return keys;
    }

    /** The keys under {@code path} with the defaults of a new {@link ServiceProperties}. */
    static void serviceKeys(List<String> path, Map<String, @Nullable Object> keys) {
        ResolvableType type = KnownKeyCheck.typeAt(path, new ArrayList<>());
        List<String> children = KnownKeyCheck.of(type);
        if (children.isEmpty()) {
            List<String> property = path.subList(2, path.size());
            String camel = String.join(
                    ".",
                    property.stream().map(ConfigurationReferenceTests::camel).toList());
            keys.put(
                    AffinityProperties.PREFIX + "." + String.join(".", path),
                    new BeanWrapperImpl(new ServiceProperties()).getPropertyValue(camel));
            return;
        }
        for (String child : children) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(child);
            serviceKeys(deeper, keys);
        }
    }

    /** Key to default cell (backticks removed), for every row of the reference's tables. */
    static Map<String, String> documentedKeys() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REFERENCE)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                keys.put(row.group(1), row.group(2).replace("`", "").trim());
            }
        }
        return keys;
    }

    /**
     * Whether the documented default says the code's: equal durations, the enum's configuration name,
     * the same text; with no default in the code (unset, inherited, from application.yml) any text.
     */
    static boolean sameDefault(@Nullable Object code, String doc) {
        if (code == null || "".equals(code) || (code instanceof Collection<?> c && c.isEmpty())) {
            return !doc.isEmpty();
        }
        if (code instanceof Duration duration) {
            try {
                return DurationStyle.detectAndParse(doc).equals(duration);
            } catch (IllegalArgumentException ex) {
                return false;
            }
        }
        return doc.equals(shown(code));
    }

    static String shown(@Nullable Object value) {
        if (value instanceof Duration duration) {
            return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
        return (value == null) ? "unset" : (value instanceof Enum<?> e) ? ConfigName.of(e) : String.valueOf(value);
    }

    static String camel(String dashed) {
        StringBuilder out = new StringBuilder();
        for (String part : dashed.split("-")) {
            out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }
}
