package dev.affinity.gateway.demo;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A tiny HTTP control panel for the demo backends, on its own port:
 * {@code GET /backends}, {@code POST /backends/{name}/stop}, {@code POST /backends/{name}/start}.
 */
public final class DemoControlServer {

    private final DemoBackendGroup backends;

    private DisposableServer server;

    public DemoControlServer(DemoBackendGroup backends) {
        this.backends = backends;
    }

    public void start(String host, int port) {
        this.server = HttpServer.create()
                .host(host)
                .port(port)
                .route(routes -> routes.get("/backends", (req, res) -> text(res, 200, status()))
                        .post("/backends/{name}/{action}", (req, res) -> {
                            String name = req.param("name");
                            String action = req.param("action");
                            if (name == null || !this.backends.ports().containsKey(name)) {
                                return text(
                                        res,
                                        404,
                                        "unknown backend; try one of "
                                                + this.backends.ports().keySet() + "\n");
                            }
                            Runnable change;
                            if ("stop".equals(action)) {
                                change = () -> this.backends.stop(name);
                            } else if ("start".equals(action)) {
                                change = () -> this.backends.start(name);
                            } else {
                                return text(res, 400, "action must be stop or start\n");
                            }
                            // binding and closing servers blocks: keep it off the event loop
                            return Mono.fromRunnable(change)
                                    .subscribeOn(Schedulers.boundedElastic())
                                    .then(Mono.defer(() -> text(res, 200, status())));
                        }))
                .bindNow();
    }

    public void stop() {
        if (this.server != null) {
            this.server.disposeNow();
        }
    }

    private String status() {
        StringBuilder text = new StringBuilder();
        this.backends
                .ports()
                .forEach((name, port) -> text.append(name)
                        .append(" port=")
                        .append(port)
                        .append(' ')
                        .append(this.backends.isRunning(name) ? "UP" : "DOWN")
                        .append(" served=")
                        .append(this.backends.served(name))
                        .append('\n'));
        return text.toString();
    }

    private static Mono<Void> text(HttpServerResponse response, int status, String body) {
        return response.status(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .sendString(Mono.just(body))
                .then();
    }
}
