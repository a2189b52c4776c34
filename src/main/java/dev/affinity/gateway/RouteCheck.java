package dev.affinity.gateway;

import dev.affinity.gateway.registry.AffinityRegistry;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;

/**
 * Tells a newcomer at startup why every request would get 404 (no route configured) or 503 (an
 * {@code lb://} route whose service has no instances). Affinity services are checked by the
 * discovery refresher already.
 */
public class RouteCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger logger = LoggerFactory.getLogger(RouteCheck.class);

    private final RouteLocator routes;

    private final DiscoveryClient discovery;

    private final AffinityRegistry registry;

    public RouteCheck(RouteLocator routes, DiscoveryClient discovery, AffinityRegistry registry) {
        this.routes = routes;
        this.discovery = discovery;
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        List<Route> all = this.routes.getRoutes().collectList().blockOptional().orElse(List.of());
        if (all.isEmpty()) {
            logger.warn("No route is configured, so every request gets 404. Routes live under"
                    + " spring.cloud.gateway.server.webflux.routes: try the demo (--spring.profiles.active=demo)"
                    + " or your own file (--spring.config.additional-location=file:my.yml)");
            return;
        }
        for (Route route : all) {
            URI uri = route.getUri();
            String service = uri.getHost();
            if (!"lb".equals(uri.getScheme()) || service == null || this.registry.service(service) != null) {
                continue;
            }
            if (this.discovery.getInstances(service).isEmpty()) {
                logger.warn(
                        "route {} goes to lb://{}, which has no instances in discovery"
                                + " (spring.cloud.discovery.client.simple.instances.{} or your DiscoveryClient):"
                                + " its requests fail until some appear",
                        route.getId(),
                        service,
                        service);
            }
        }
    }
}
