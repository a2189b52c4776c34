package dev.affinity.gateway.filter;

import static dev.affinity.gateway.filter.CookieHeaderPropertyTests.COOKIE;

import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/** Random {@code Cookie} header values for {@link CookieHeaderPropertyTests}, and how to print them. */
final class CookieHeaderGenerator {

    private CookieHeaderGenerator() {}

    /**
     * The case of {@code CookieHeaderPropertyTests.shouldFollowTheNewestRepeatedCookieThatCanServe}:
     * the affinity cookie several times among others, over {@code instances} (name to valid value),
     * with what the gateway should make of it.
     */
    static RepeatedCookies repeated(Random random, List<Map.Entry<String, String>> instances, long base) {
        String disabled = random.nextBoolean()
                ? null
                : instances.get(random.nextInt(instances.size())).getKey();
        List<String> pairs = new ArrayList<>();
        String serving = null;
        long servingIssued = -1;
        long newest = -1;
        int count = 2 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> { // a valid value: unstamped or stamped within a few seconds, sometimes quoted
                    Map.Entry<String, String> instance = instances.get(random.nextInt(instances.size()));
                    long issued = random.nextInt(4) == 0 ? 0 : base + random.nextInt(4);
                    String value =
                            name(instance.getValue()) + ((issued == 0) ? "" : HmacCookieValueScheme.stamp(issued));
                    pairs.add(COOKIE + "=" + (random.nextBoolean() ? value : quoted(value)));
                    newest = Math.max(newest, issued);
                    if (!instance.getKey().equals(disabled) && issued > servingIssued) {
                        serving = instance.getKey();
                        servingIssued = issued;
                    }
                }
                case 2 -> pairs.add(COOKIE + "=" + name(instances.get(0).getValue()) + "!bad!!"); // a bad stamp
                case 3 -> pairs.add(COOKIE + "=" + printableValue(random)); // garbage of our name
                default -> pairs.add(otherName(random) + "=" + printableValue(random)); // someone else's
            }
        }
        byte[] header = String.join("; ", pairs).getBytes(StandardCharsets.ISO_8859_1);
        return new RepeatedCookies(header, disabled, serving, servingIssued, newest);
    }

    /**
     * A header of repeated affinity cookies; {@code disabled} is the instance to disable (or none),
     * {@code serving} the instance that should serve (none when no value names one that can),
     * issued at {@code servingIssued}; {@code newest} is the newest issue time sent, -1 when no
     * value names an instance, 0 when only unstamped values do.
     */
    record RepeatedCookies(
            byte[] header,
            @Nullable String disabled,
            @Nullable String serving,
            long servingIssued,
            long newest) {}

    /** The part of a value that names the instance (its issue time cut off). */
    static String name(String value) {
        return value.substring(0, HmacCookieValueScheme.VALUE_LENGTH);
    }

    /** Either name=value pairs (1 to 60, half of them named like the affinity cookie) or random bytes. */
    static byte[] cookieHeader(Random random) {
        if (random.nextBoolean()) { // random bytes after our name: CTLs, high bytes, quotes, anything but CR/LF/NUL
            int length = random.nextInt(301);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((COOKIE + "=").getBytes(StandardCharsets.ISO_8859_1));
            while (length-- > 0) {
                byte b = (byte) random.nextInt(256);
                out.write((b == '\r' || b == '\n' || b == 0) ? 'x' : b);
            }
            return out.toByteArray();
        }
        int count = 1 + random.nextInt(60);
        List<String> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = random.nextBoolean() ? COOKIE : otherName(random);
            String value = switch (random.nextInt(4)) {
                case 0 -> printableValue(random);
                case 1 -> string(random, 'A', 'z', 100, 6000); // huge: many of them exceed 8 KiB
                case 2 -> string(random, '\u0080', '\u00ff', 0, 30); // obs-text, not UTF-8
                default -> fromChars(random, "%=\"\\,", 10); // quotes, escapes, separators
            };
            pairs.add(name + "=" + value);
        }
        return String.join("; ", pairs).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A cookie name other than ours (it may still be a prefix or extension of it). */
    static String otherName(Random random) {
        String name;
        do {
            name = string(random, '!', '~', 1, 20).replace(";", "").replace("=", "");
        } while (name.isEmpty() || name.equals(COOKIE));
        return name;
    }

    /** Printable ASCII and space, no ';', up to 40 characters (may be empty). */
    static String printableValue(Random random) {
        return string(random, ' ', '~', 0, 40).replace(';', ':');
    }

    static String string(Random random, char from, char to, int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (from + random.nextInt(to - from + 1)));
        }
        return text.toString();
    }

    static String fromChars(Random random, String chars, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    static String quoted(String value) {
        return '"' + value + '"';
    }

    static boolean hasControlCharacter(byte[] header) {
        for (byte b : header) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The header for a message: non-printable bytes as \xNN, cut after 200 characters. */
    static String printable(byte[] header) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < header.length && text.length() < 200; i++) {
            int b = header[i] & 0xff;
            text.append((b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : "\\x%02x".formatted(b));
        }
        return (text.length() < 200) ? text.toString() : text + "...";
    }
}
