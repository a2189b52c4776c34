package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import dev.affinity.gateway.registry.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * The load balancer of one affinity service. Reactor only fetches the discovered instances; the
 * choice itself is {@link #choose(RoutingContext, Snapshot)}, synchronous and lock-free.
 */
public class AffinityLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

    private final ServiceRegistry service;

    private final InstanceChooser chooser;

    public AffinityLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers, ServiceRegistry service) {
        this.suppliers = suppliers;
        this.service = service;
        this.chooser = new InstanceChooser(service.settings().getBalancer());
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface declares a raw Request
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = this.suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
        RoutingContext context = contextOf(request);
        return supplier.get(request).next().map(instances -> respond(instances, context));
    }

    private Response<ServiceInstance> respond(List<ServiceInstance> instances, @Nullable RoutingContext context) {
        Snapshot snapshot = this.service.refresh(instances);
        InstanceState chosen =
                (context != null) ? choose(context, snapshot) : this.chooser.pick(candidates(snapshot, List.of()));
        if (chosen == null) {
            return new EmptyResponse();
        }
        if (context != null) {
            this.service.attemptStarted(chosen);
        }
        return new DefaultResponse(chosen.instance());
    }

    /** Chooses the instance for one attempt of a request, recording the decision in its context. */
    @Nullable
    InstanceState choose(RoutingContext context, Snapshot snapshot) {
        if (!context.resolved()) {
            resolveCookie(context, snapshot);
        }
        boolean retry = !context.failed().isEmpty();
        if (this.service.mode() == AffinityMode.FAILOVER || context.cookieless()) {
            return chooseActive(context, snapshot);
        }
        if (this.service.mode() == AffinityMode.STATELESS) {
            return chooseNew(context, snapshot, retry ? Decision.FAILOVER : Decision.STATELESS);
        }
        InstanceState pinned = context.pinned();
        if (pinned != null) {
            if (pinned.servesPinned() && !context.failed().contains(pinned)) {
                context.chose(pinned, Decision.STICKY);
                return pinned;
            }
            if (this.service.settings().isNoFallback()) {
                context.refuse();
                return null;
            }
            context.movedFrom(pinned);
            return chooseNew(context, snapshot, Decision.FAILOVER);
        }
        Decision decision =
                retry ? Decision.FAILOVER : (context.cookieRejected() ? Decision.REJECTED : Decision.ASSIGNED);
        return chooseNew(context, snapshot, decision);
    }

    private static void resolveCookie(RoutingContext context, Snapshot snapshot) {
        CookieScan cookie = context.cookie();
        switch (cookie.status()) {
            case ABSENT -> context.resolved(null, false, false);
            case INVALID -> context.resolved(null, false, true);
            case PRESENT ->
                resolveValue(context, lookup(snapshot, cookie.source(), cookie.valueStart(), cookie.valueEnd()));
            case REPEATED -> {
                // one cookie per Path or Domain (a path change, Knox's cookie next to ours): the first
                // value, in header order (longest Path first), that names an instance wins, with no re-pin
                Snapshot.CookieMatch match = null;
                for (String value : cookie.repeatedValues()) {
                    match = lookup(snapshot, value, 0, value.length());
                    if (match != null) {
                        break;
                    }
                }
                resolveValue(context, match);
            }
        }
    }

    private static void resolveValue(RoutingContext context, Snapshot.@Nullable CookieMatch match) {
        if (match == null) {
            context.resolved(null, false, true);
        } else {
            context.resolved(match.instance(), match.previousKey(), false);
        }
    }

    private static Snapshot.@Nullable CookieMatch lookup(Snapshot snapshot, String header, int start, int end) {
        while (end > start && header.charAt(end - 1) == '=') {
            end--; // padded base64url is valid in a cookie value, though we never send it
        }
        return snapshot.lookup(header, start, end);
    }

    private @Nullable InstanceState chooseNew(RoutingContext context, Snapshot snapshot, Decision decision) {
        InstanceState chosen = this.chooser.pick(candidates(snapshot, context.failed()));
        if (chosen != null) {
            context.chose(chosen, decision);
        }
        return chosen;
    }

    /**
     * Failover mode: everyone goes to the active instance until it is unavailable or fails; then the
     * next available one in discovery order becomes active, and stays so when the old one returns.
     */
    private @Nullable InstanceState chooseActive(RoutingContext context, Snapshot snapshot) {
        InstanceState active = this.service.active();
        List<InstanceState> instances = snapshot.instances();
        int index = (active != null) ? instances.indexOf(active) : -1;
        if (index >= 0 && active.servesPinned() && !context.failed().contains(active)) {
            context.chose(active, Decision.STICKY);
            return active;
        }
        for (int i = 1; i <= instances.size(); i++) {
            InstanceState next = instances.get(Math.floorMod(index + i, instances.size()));
            if (next.takesNewClients() && !context.failed().contains(next)) {
                this.service.setActive(next);
                if (active != null && index >= 0) {
                    context.movedFrom(active);
                }
                context.chose(next, (active == null || index < 0) ? Decision.ASSIGNED : Decision.FAILOVER);
                return next;
            }
        }
        return null;
    }

    private static List<InstanceState> candidates(Snapshot snapshot, List<InstanceState> excluded) {
        List<InstanceState> instances = snapshot.instances();
        List<InstanceState> candidates = new ArrayList<>(instances.size());
        for (InstanceState state : instances) {
            if (state.takesNewClients() && !excluded.contains(state)) {
                candidates.add(state);
            }
        }
        return candidates;
    }

    private static @Nullable RoutingContext contextOf(Request<?> request) {
        if (request.getContext() instanceof RequestDataContext data
                && data.getClientRequest() != null
                && data.getClientRequest().getAttributes() != null) {
            return (RoutingContext) data.getClientRequest().getAttributes().get(RoutingContext.ATTRIBUTE);
        }
        return null;
    }
}
