package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValues;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import dev.affinity.gateway.registry.Snapshot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Flux;

/**
 * The per-request decision of an affinity service with three instances, as {@code AffinityFilter}
 * and {@link AffinityLoadBalancer} run it: scan the {@code Cookie} headers, create the request's
 * {@link RoutingContext}, resolve the cookie in the snapshot and choose.
 *
 * <p>Budget (issue 6): a sticky hit under 1 µs, and no allocation beyond what the request already
 * carries. Run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per operation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class AffinityDecisionBenchmark {

    static final String SERVICE = "sticky";

    static final String COOKIE = "KNOX_BACKEND-" + SERVICE;

    static final byte[] SECRET = "bench-current-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    static final byte[] PREVIOUS_SECRET = "bench-previous-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    ServiceRegistry service;

    AffinityLoadBalancer balancer;

    List<ServiceInstance> discovered;

    /** An equal list that is a different object, as a discovery client without caching hands out. */
    List<ServiceInstance> rediscovered;

    URI lbUrl;

    InstanceState second;

    /** {@code Cookie: KNOX_BACKEND-sticky=<value of instance 2>}, the usual sticky-hit request. */
    List<String> stickyHeaders;

    /** The same cookie among others, so the scan must rebuild the header without it. */
    List<String> stickyAmongOthersHeaders;

    /** A cookie made with the previous secret: honoured, then re-issued. */
    List<String> previousKeyHeaders;

    /** Unrelated cookies only: a new client of this service. */
    List<String> otherCookiesHeaders;

    CookieScan stickyScan;

    CookieScan previousKeyScan;

    Request<RequestDataContext> stickyRequest;

    Request<RequestDataContext> newClientRequest;

    Map<String, Object> stickyAttributes;

    Map<String, Object> newClientAttributes;

    @Setup
    public void setUp() {
        ServiceProperties settings = new ServiceProperties();
        settings.setMode(AffinityMode.STICKY);
        settings.setBalancer(BalancerType.ROUND_ROBIN);
        HmacCookieValues values = new HmacCookieValues(SECRET, List.of(PREVIOUS_SECRET));
        this.service = new ServiceRegistry(SERVICE, settings, COOKIE, values, System::nanoTime);
        this.discovered = new ArrayList<>(List.of(
                new DefaultServiceInstance("b1", SERVICE, "127.0.0.1", 19001, false),
                new DefaultServiceInstance("b2", SERVICE, "127.0.0.1", 19002, false),
                new DefaultServiceInstance("b3", SERVICE, "127.0.0.1", 19003, false)));
        this.rediscovered = new ArrayList<>(this.discovered);
        this.service.refresh(this.discovered);
        Snapshot snapshot = this.service.snapshot();
        this.second = snapshot.instances().get(1);
        String previousValue =
                new HmacCookieValues(PREVIOUS_SECRET, List.of()).current(SERVICE, this.second.instance());

        this.lbUrl = URI.create("lb://" + SERVICE + "/sticky/hello");
        this.stickyHeaders = List.of(COOKIE + "=" + this.second.cookieValue());
        this.stickyAmongOthersHeaders =
                List.of("JSESSIONID=6F1C2B9A0D; " + COOKIE + "=" + this.second.cookieValue() + "; theme=dark");
        this.previousKeyHeaders = List.of(COOKIE + "=" + previousValue);
        this.otherCookiesHeaders = List.of("JSESSIONID=6F1C2B9A0D; theme=dark");
        this.stickyScan = CookieScan.scan(this.stickyHeaders, COOKIE);
        this.previousKeyScan = CookieScan.scan(this.previousKeyHeaders, COOKIE);

        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("supplier", new FixedSupplier(this.discovered));
        this.balancer =
                new AffinityLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class), this.service);

        this.stickyAttributes = new HashMap<>();
        this.newClientAttributes = new HashMap<>();
        this.stickyRequest = lbRequest(this.stickyAttributes);
        this.newClientRequest = lbRequest(this.newClientAttributes);

        check();
    }

    private Request<RequestDataContext> lbRequest(Map<String, Object> attributes) {
        RequestData data =
                new RequestData(HttpMethod.GET, this.lbUrl, new HttpHeaders(), new LinkedMultiValueMap<>(), attributes);
        return new DefaultRequest<>(new RequestDataContext(data, "default"));
    }

    /** Fails the run when a benchmark would measure the wrong path. */
    private void check() {
        RoutingContext hit = new RoutingContext(this.service, this.lbUrl, this.stickyScan, false);
        require(this.balancer.choose(hit, this.service.snapshot()) == this.second, "sticky hit chose another instance");
        require(hit.decision() == Decision.STICKY && !hit.needsCookie(this.second), "sticky hit is not a sticky hit");

        RoutingContext other = new RoutingContext(
                this.service, this.lbUrl, CookieScan.scan(this.stickyAmongOthersHeaders, COOKIE), false);
        require(this.balancer.choose(other, this.service.snapshot()) == this.second, "cookie among others missed");

        RoutingContext old = new RoutingContext(this.service, this.lbUrl, this.previousKeyScan, false);
        require(this.balancer.choose(old, this.service.snapshot()) == this.second, "previous-key cookie missed");
        require(old.previousKey() && old.needsCookie(this.second), "previous-key cookie is not re-issued");

        RoutingContext fresh =
                new RoutingContext(this.service, this.lbUrl, CookieScan.scan(this.otherCookiesHeaders, COOKIE), false);
        InstanceState assigned = this.balancer.choose(fresh, this.service.snapshot());
        require(assigned != null && fresh.decision() == Decision.ASSIGNED, "new client was not assigned");

        require(stickyHitReactive() == this.second.instance(), "reactive sticky hit chose the wrong instance");
        require(newAssignmentReactive() != null, "reactive new assignment chose nothing");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** (a) The whole sticky-hit decision: scan the one {@code Cookie} header, context, lookup, choose. */
    @Benchmark
    public InstanceState stickyHit() {
        CookieScan cookie = CookieScan.scan(this.stickyHeaders, COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        return this.balancer.choose(context, this.service.snapshot());
    }

    /** (a) The sticky hit without the scan: context, snapshot lookup and choose only. */
    @Benchmark
    public InstanceState stickyHitLookupAndChoose() {
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, this.stickyScan, false);
        return this.balancer.choose(context, this.service.snapshot());
    }

    /** (a) Sticky hit whose cookie sits among other cookies: the scan rebuilds the forwarded header. */
    @Benchmark
    public InstanceState stickyHitAmongOtherCookies() {
        CookieScan cookie = CookieScan.scan(this.stickyAmongOthersHeaders, COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        return this.balancer.choose(context, this.service.snapshot());
    }

    /** (b) A new client (no cookie of ours): scan, context, round-robin pick over the candidates. */
    @Benchmark
    public InstanceState newAssignment() {
        CookieScan cookie = CookieScan.scan(List.of(), COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        return this.balancer.choose(context, this.service.snapshot());
    }

    /** (b) A new client of this service that carries unrelated cookies. */
    @Benchmark
    public InstanceState newAssignmentWithOtherCookies() {
        CookieScan cookie = CookieScan.scan(this.otherCookiesHeaders, COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        return this.balancer.choose(context, this.service.snapshot());
    }

    /** (d) A cookie made with a previous secret: still one map lookup, no HMAC computed. */
    @Benchmark
    public boolean previousKeyHit() {
        CookieScan cookie = CookieScan.scan(this.previousKeyHeaders, COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        InstanceState chosen = this.balancer.choose(context, this.service.snapshot());
        return chosen != null && context.needsCookie(chosen);
    }

    /**
     * What {@link AffinityLoadBalancer#choose(Request)} does per attempt before choosing: hand the
     * discovered list to the registry. A list equal to, but not the same object as, the snapshot's.
     */
    @Benchmark
    public Snapshot refreshUnchanged() {
        return this.service.refresh(this.rediscovered);
    }

    /**
     * (a) The public reactive path {@link AffinityLoadBalancer#choose(Request)} for a sticky hit:
     * supplier lookup, {@code Flux.next().map()}, refresh, choose; plus the attempt bookkeeping the
     * filter does ({@code attemptStarted}/{@code attemptEnded}). Blocking on an already-completed
     * {@code Mono} adds a few tens of ns.
     */
    @Benchmark
    public ServiceInstance stickyHitReactive() {
        CookieScan cookie = CookieScan.scan(this.stickyHeaders, COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        this.stickyAttributes.put(RoutingContext.ATTRIBUTE, context);
        return serve(this.stickyRequest, context);
    }

    /** (b) The public reactive path for a new client. */
    @Benchmark
    public ServiceInstance newAssignmentReactive() {
        CookieScan cookie = CookieScan.scan(List.of(), COOKIE);
        RoutingContext context = new RoutingContext(this.service, this.lbUrl, cookie, false);
        this.newClientAttributes.put(RoutingContext.ATTRIBUTE, context);
        return serve(this.newClientRequest, context);
    }

    private ServiceInstance serve(Request<RequestDataContext> request, RoutingContext context) {
        Response<ServiceInstance> response = this.balancer.choose(request).block();
        InstanceState chosen = context.endAttempt(false);
        if (chosen != null) {
            this.service.attemptEnded(chosen, false);
        }
        return (response != null) ? response.getServer() : null;
    }

    /** Reference point: JMH's own cost of returning an object (what "0 ns" looks like here). */
    @Benchmark
    public void baseline(Blackhole blackhole) {
        blackhole.consume(this.second);
    }

    /** The supplier Spring Cloud LoadBalancer's caching supplier amounts to: the same list every time. */
    static final class FixedSupplier implements ServiceInstanceListSupplier {

        private final List<ServiceInstance> instances;

        FixedSupplier(List<ServiceInstance> instances) {
            this.instances = instances;
        }

        @Override
        public String getServiceId() {
            return SERVICE;
        }

        @Override
        public Flux<List<ServiceInstance>> get() {
            return Flux.just(this.instances);
        }
    }
}
