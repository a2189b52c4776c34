package dev.affinity.gateway.health;

import dev.affinity.gateway.config.HealthProperties;
import dev.affinity.gateway.registry.Snapshot;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** One active check: {@code GET <instance uri><health.path>}; any 2xx within {@code health.timeout} passes. */
final class HttpProbe implements BiFunction<Snapshot.Member, HealthProperties, Mono<Boolean>> {

    private final HttpClient client = HttpClient.create().followRedirect(false).keepAlive(true);

    @Override
    public Mono<Boolean> apply(Snapshot.Member member, HealthProperties health) {
        String base = member.instance().getUri().toString();
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return this.client
                .responseTimeout(health.getTimeout())
                .get()
                .uri(base.substring(0, end) + health.getPath())
                .responseSingle((response, body) ->
                        body.then(Mono.just(response.status().code())))
                .map(status -> status >= 200 && status < 300)
                .timeout(health.getTimeout())
                .onErrorReturn(false);
    }
}
