package dev.affinity.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.AffinityGatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in its own JVM (the test classpath), stopped with SIGTERM like a real deployment. Two
 * gateways in one JVM would share Reactor Netty's global resources, and closing one would stop the
 * other's servers.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private static final Pattern SERVICE_REQUESTS = Pattern.compile("\"requests\"\\s*:\\s*(\\d+)");

    private final Process process;

    private final int managementPort;

    private final Path log;

    private GatewayProcess(Process process, int managementPort, Path log) {
        this.process = process;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts a gateway with these properties ({@code server.port} and {@code management.server.port}
     * must be fixed) and waits until its readiness is UP.
     */
    public static GatewayProcess start(Map<String, Object> properties) {
        int managementPort = Integer.parseInt(String.valueOf(properties.get("management.server.port")));
        try {
            Path log = Files.createTempFile("gateway", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    AffinityGatewayApplication.class.getName()));
            properties.forEach((key, value) -> command.add("--" + key + "=" + value));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            GatewayProcess gateway = new GatewayProcess(process, managementPort, log);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("gateway exited: " + gateway.log());
                        }
                        return gateway.status("/actuator/health/readiness") == 200;
                    });
            return gateway;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Requests served for {@code service} so far, from {@code /actuator/affinity/{service}}. */
    public long served(String service) {
        try {
            String body = http.send(
                            HttpRequest.newBuilder(managementUri("/actuator/affinity/" + service))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher matcher = SERVICE_REQUESTS.matcher(body);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
        } catch (IOException ex) {
            return 0;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Sends SIGTERM and waits for the JVM to exit (drain delay, then graceful shutdown). */
    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.readString(this.log);
        } catch (IOException ex) {
            return ex.toString();
        }
    }

    private int status(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(managementUri(path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + this.managementPort + path);
    }
}
