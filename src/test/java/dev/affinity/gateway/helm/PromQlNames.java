package dev.affinity.gateway.helm;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the metric and label names out of a PromQL expression (or a Grafana {@code label_values}
 * query), enough to check a dashboard's queries against a scrape; not a PromQL parser.
 */
final class PromQlNames {

    /** Words in PromQL that are neither metrics nor labels. */
    private static final Set<String> KEYWORDS = Set.of(
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right");

    /** A label matcher inside {@code {...}}, or a label in a scrape line. */
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

    private static final Pattern LABEL_VALUES =
            Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");

    private static final Pattern WORD = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlNames() {}

    /** Collects metric names and label names from one PromQL expression (or Grafana label_values). */
    static void parse(String query, Set<String> metrics, Set<String> labels) {
        String expr = query.trim();
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            labels.add(labelValues.group(2));
            expr = labelValues.group(1);
        }
        expr = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""); // string literals
        Matcher matchers = Pattern.compile("\\{([^}]*)}").matcher(expr);
        while (matchers.find()) {
            Matcher label = LABEL.matcher(matchers.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        expr = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        expr = GROUPING.matcher(expr).replaceAll(" ").replaceAll("\\$\\{?\\w+}?", " ");
        Matcher word = WORD.matcher(expr);
        while (word.find()) {
            boolean function = expr.substring(word.end()).matches("(?s)\\s*\\(.*");
            boolean number = word.start() > 0 && Character.isDigit(expr.charAt(word.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.group().toLowerCase())) {
                metrics.add(word.group());
            }
        }
    }
}
