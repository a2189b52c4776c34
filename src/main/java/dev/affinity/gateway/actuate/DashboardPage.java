package dev.affinity.gateway.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * Serves the dashboard's three static files from {@code classpath:dashboard/}: the page, its script
 * and its style sheet. Nothing is loaded from anywhere else (the page works air-gapped), and the
 * Content-Security-Policy says so: scripts, styles and data only from this origin, no framing.
 */
final class DashboardPage {

    static final String LOCATION = "dashboard/";

    /** Same-origin only, no inline script, no framing (the page has buttons that change state). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String html;

    /**
     * @param endpointsBasePath {@code management.endpoints.web.base-path}: where the page finds
     *     {@code affinity} relative to itself
     */
    DashboardPage(String endpointsBasePath) {
        String endpoint = (endpointsBasePath + "/affinity").replaceFirst("^/+", "");
        this.html = read(new ClassPathResource(LOCATION + "index.html"))
                .replace("{{affinityEndpoint}}", HtmlUtils.htmlEscape(endpoint));
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/dashboard", request -> page())
                .GET(
                        "/dashboard/",
                        request -> ServerResponse.temporaryRedirect(request.uriBuilder()
                                        .path("/../dashboard")
                                        .build()
                                        .normalize())
                                .build())
                .GET("/dashboard/dashboard.js", request -> file("dashboard.js", "text/javascript"))
                .GET("/dashboard/dashboard.css", request -> file("dashboard.css", "text/css"))
                .build();
    }

    private Mono<ServerResponse> page() {
        return secured(ServerResponse.ok())
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .bodyValue(this.html);
    }

    private Mono<ServerResponse> file(String name, String type) {
        return secured(ServerResponse.ok())
                .contentType(new MediaType(MediaType.parseMediaType(type), StandardCharsets.UTF_8))
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
                .bodyValue(new ClassPathResource(LOCATION + name));
    }

    private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("dashboard page missing from the jar: " + resource, ex);
        }
    }
}
