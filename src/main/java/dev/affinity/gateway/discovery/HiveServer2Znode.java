package dev.affinity.gateway.discovery;

import dev.affinity.gateway.cookie.InstanceKeyPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Turns one HiveServer2 znode into a service instance, with Apache Knox's rules
 * ({@code HS2ZookeeperURLManager}), so the instance's {@code knox-url} is the very string Knox
 * hashed into its cookie.
 *
 * <p>A znode is named like {@code serverUri=hs2-a:10001;version=3.1.3;sequence=0000000012} and
 * holds {@code key=value;key=value} pairs. Knox's URL is {@code scheme://host:port/httpPath} with
 * {@code hive.server2.thrift.bind.host}, {@code hive.server2.thrift.http.port} (default 10001),
 * {@code hive.server2.thrift.http.path} (default {@code cliservice}) and {@code https} when
 * {@code hive.server2.use.SSL} is true; no normalisation (a path of {@code /x} gives {@code //x},
 * as in Knox).
 */
final class HiveServer2Znode {

    /** Knox's own pattern; a value runs to the next ';' and may be empty. */
    private static final Pattern KEY_VALUE = Pattern.compile("([^=;]*)=([^;]*)[;]?");

    static final String HOST = "hive.server2.thrift.bind.host";

    static final String PORT = "hive.server2.thrift.http.port";

    static final String PATH = "hive.server2.thrift.http.path";

    static final String SSL = "hive.server2.use.SSL";

    static final String TRANSPORT_MODE = "hive.server2.transport.mode";

    static final String SERVER_URI = "serverUri";

    private HiveServer2Znode() {}

    /**
     * The instance a znode describes, or {@code null} when it cannot serve HTTP: no bind host
     * (Knox would build {@code http://null:...}), a port that is not a port, or an explicit
     * {@code binary} transport mode (Knox would send HTTP to the default port 10001 and fail over).
     * The instance id is the znode's {@code serverUri} ({@code host:port}), else host:port.
     */
    static @Nullable ServiceInstance parse(String serviceId, String znodeName, byte @Nullable [] data) {
        String text = (data != null) ? new String(data, StandardCharsets.UTF_8) : "";
        Map<String, String> values = pairs(text);
        String host = values.get(HOST);
        if (host == null || host.isBlank()) {
            return null;
        }
        if ("binary".equals(values.getOrDefault(TRANSPORT_MODE, "").toLowerCase(Locale.ROOT))) {
            return null;
        }
        String port = values.getOrDefault(PORT, "10001");
        int portNumber = portNumber(port);
        if (portNumber < 0) {
            return null;
        }
        boolean secure = anySslTrue(text);
        String scheme = secure ? "https" : "http";
        String knoxUrl = scheme + "://" + host + ":" + port + "/" + values.getOrDefault(PATH, "cliservice");
        String serverUri = pairs(znodeName).get(SERVER_URI);
        String instanceId = (serverUri != null && !serverUri.isBlank()) ? serverUri : host + ":" + port;
        return new DefaultServiceInstance(
                instanceId, serviceId, host, portNumber, secure, Map.of(InstanceKeyPolicy.KNOX_URL_METADATA, knoxUrl));
    }

    /**
     * The pairs Knox reads; like Knox's switch over the matches, a later value of the same key
     * wins. Keys are case-sensitive, as in Knox.
     */
    static Map<String, String> pairs(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher matcher = KEY_VALUE.matcher(text);
        while (matcher.find()) {
            values.put(matcher.group(1), matcher.group(2));
        }
        return values;
    }

    /** Knox switches to https on any true {@code hive.server2.use.SSL} and never back. */
    private static boolean anySslTrue(String text) {
        Matcher matcher = KEY_VALUE.matcher(text);
        while (matcher.find()) {
            if (SSL.equals(matcher.group(1)) && Boolean.parseBoolean(matcher.group(2))) {
                return true;
            }
        }
        return false;
    }

    private static int portNumber(String port) {
        try {
            int number = Integer.parseInt(port);
            return (number > 0 && number <= 65535) ? number : -1;
        } catch (NumberFormatException ex) {
            return -1;
        }
    }
}
