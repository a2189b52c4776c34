package dev.affinity.gateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes a gateway's management port: {@code /actuator/affinity} and raw requests. */
public final class ManagementClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;

    public ManagementClient(int managementPort) {
        this.base = URI.create("http://127.0.0.1:" + managementPort);
    }

    public URI base() {
        return this.base;
    }

    /** {@code /actuator/affinity} as a tree. */
    public JsonNode affinity() {
        HttpResponse<String> response = send(request("/actuator/affinity").GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/actuator/affinity answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** One instance of {@code /actuator/affinity}. */
    public JsonNode instance(String service, String instance) {
        for (JsonNode node : affinity().path("services").path(service).path("instances")) {
            if (node.path("id").asString().equals(instance)) {
                return node;
            }
        }
        throw new IllegalStateException("no instance " + service + "/" + instance);
    }

    /** The admin state Actuator reports for one instance. */
    public String state(String service, String instance) {
        return instance(service, instance).path("state").asString();
    }

    /** Sets an admin state as the dashboard does; returns the status code. */
    public int setState(String service, String instance, String state, String user, String password) {
        return send(request("/actuator/affinity/" + service + "/" + instance)
                        .header("Content-Type", "application/json")
                        .header("Authorization", basic(user, password))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"" + state + "\"}")))
                .statusCode();
    }

    /** A request builder for a path on the management port. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(10));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return BlockingHttp.send(this.client, request.build());
    }

    /** An HTTP Basic {@code Authorization} value. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
