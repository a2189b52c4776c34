package dev.affinity.gateway.balancer;

import dev.affinity.gateway.bench.DecisionPathBenchmark;
import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import reactor.core.scheduler.Schedulers;

/**
 * The per-request decision of an affinity service with three instances, as {@code AffinityFilter}
 * and {@link AffinityLoadBalancer} run it: scan the {@code Cookie} headers, resolve the cookie in
 * the snapshot, build the attempt's {@link AffinityRequest} and choose.
 *
 * <p>Budget (issue 6): a sticky hit under 1 µs, and no allocation beyond what the request already
 * carries. Run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per operation).
 * Issue 22: the value a client holds ends with its issue time ({@link #stickyHitStamped}); a new
 * client of {@code balancer: hash} is placed by rendezvous hashing ({@link #hashedAssignment}).
 */
public class AffinityDecisionBenchmark extends DecisionPathBenchmark {

    SnapshotOwner owner;

    AffinityChooser chooser;

    AffinityLoadBalancer balancer;

    Snapshot.Member second;

    /** {@code Cookie: KNOX_BACKEND-sticky=<value of instance 2>}, the usual sticky-hit request. */
    List<String> stickyHeaders;

    /** The same cookie among others, so the scan must rebuild the header without it. */
    List<String> stickyAmongOthersHeaders;

    /** A cookie made with the previous secret: honoured, then re-issued. */
    List<String> previousKeyHeaders;

    /** Unrelated cookies only: a new client of this service. */
    List<String> otherCookiesHeaders;

    /** {@code Cookie: KNOX_BACKEND-sticky=<value of instance 2><issue time>}: what clients hold since issue 22. */
    List<String> stampedHeaders;

    /** The chooser of the same service with {@code balancer: hash}. */
    AffinityChooser hashing;

    /** A client's {@code hash-on} key hash; a different one per call would measure the same work. */
    long hashKey = 0x5DEECE66DL;

    @Setup
    public void setUp() {
        ServiceProperties settings = new ServiceProperties();
        settings.setMode(AffinityMode.STICKY);
        settings.setBalancer(BalancerType.ROUND_ROBIN);
        HmacCookieValueScheme values = new HmacCookieValueScheme(SECRET, List.of(PREVIOUS_SECRET));
        this.owner = new SnapshotOwner(SERVICE, values, settings.getHealth(), Schedulers.single());
        this.owner.discovered(instances());
        this.chooser = new AffinityChooser(SERVICE, settings);
        this.balancer = new AffinityLoadBalancer(new AffinityService(SERVICE, settings, COOKIE, this.owner));
        this.second = this.owner.current().members().get(1);
        String previousValue =
                new HmacCookieValueScheme(PREVIOUS_SECRET, List.of()).current(SERVICE, this.second.instance());

        this.stickyHeaders = List.of(COOKIE + "=" + this.second.cookieValue());
        this.stickyAmongOthersHeaders =
                List.of("JSESSIONID=6F1C2B9A0D; " + COOKIE + "=" + this.second.cookieValue() + "; theme=dark");
        this.previousKeyHeaders = List.of(COOKIE + "=" + previousValue);
        this.otherCookiesHeaders = List.of("JSESSIONID=6F1C2B9A0D; theme=dark");
        this.stampedHeaders =
                List.of(COOKIE + "=" + this.second.cookieValue() + HmacCookieValueScheme.stamp(1_796_000_000L));
        ServiceProperties hashed = new ServiceProperties();
        hashed.setBalancer(BalancerType.HASH);
        this.hashing = new AffinityChooser(SERVICE, hashed);
        check();
    }

    /** Fails the run when a benchmark would measure the wrong path. */
    private void check() {
        Choice hit = stickyHit();
        require(hit.member() == this.second && hit.decision() == Decision.STICKY, "sticky hit is not a sticky hit");
        require(stickyHitAmongOtherCookies().member() == this.second, "cookie among others missed");
        require(previousKeyHit(), "previous-key cookie missed or not re-issued");
        require(newAssignment().decision() == Decision.ASSIGNED, "new client was not assigned");
        require(stickyHitReactive() == this.second.instance(), "reactive sticky hit chose the wrong instance");
        require(stickyHitStamped().member() == this.second, "stamped sticky hit missed");
        require(hashedAssignment().decision() == Decision.HASHED, "hashed client was not hashed");
    }

    private Choice decide(List<String> headers) {
        Snapshot snapshot = this.owner.current();
        CookieScan cookie = CookieScan.scan(headers, COOKIE);
        Snapshot.CookieMatch match = (cookie.status() == CookieScan.Status.PRESENT)
                ? snapshot.lookup(
                        cookie.source(),
                        cookie.valueStart(),
                        HmacCookieValueScheme.nameEnd(cookie.valueStart(), cookie.valueEnd()))
                : null;
        InstanceState pinned = (match != null) ? match.member().state() : null;
        AffinityRequest request = new AffinityRequest(
                pinned, cookie.status() != CookieScan.Status.ABSENT && match == null, false, List.of());
        return this.chooser.choose(snapshot, request, null);
    }

    /** (a) The whole sticky-hit decision: scan the one {@code Cookie} header, lookup, request, choose. */
    @Benchmark
    public Choice stickyHit() {
        return decide(this.stickyHeaders);
    }

    /** (a) Sticky hit whose cookie sits among other cookies: the scan rebuilds the forwarded header. */
    @Benchmark
    public Choice stickyHitAmongOtherCookies() {
        return decide(this.stickyAmongOthersHeaders);
    }

    /** (a) Sticky hit with the issue time after the value, as every client holds it since issue 22. */
    @Benchmark
    public Choice stickyHitStamped() {
        return decide(this.stampedHeaders);
    }

    /** (b) A new client of {@code balancer: hash} with its key: the rendezvous pick over three instances. */
    @Benchmark
    public Choice hashedAssignment() {
        AffinityRequest request = new AffinityRequest(null, false, false, List.of(), this.hashKey);
        return this.hashing.choose(this.owner.current(), request, null);
    }

    /** (b) A new client (no cookie of ours): scan, round-robin pick over the candidates. */
    @Benchmark
    public Choice newAssignment() {
        return decide(List.of());
    }

    /** (b) A new client of this service that carries unrelated cookies. */
    @Benchmark
    public Choice newAssignmentWithOtherCookies() {
        return decide(this.otherCookiesHeaders);
    }

    /** (d) A cookie made with a previous secret: still one table lookup, no HMAC computed. */
    @Benchmark
    public boolean previousKeyHit() {
        Snapshot.CookieMatch match = this.owner
                .current()
                .lookup(
                        this.previousKeyHeaders.get(0),
                        COOKIE.length() + 1,
                        this.previousKeyHeaders.get(0).length());
        return match != null
                && match.previousKey()
                && decide(this.previousKeyHeaders).member() == this.second;
    }

    /**
     * (a) The public reactive path {@link AffinityLoadBalancer#choose(Request)} for a sticky hit, as
     * another caller of the load balancer would use it: the request, the snapshot read, the choice and
     * its response. Blocking on an already-completed {@code Mono} adds a few tens of ns. The affinity
     * filter itself calls the synchronous {@code choose(AffinityRequest)}.
     */
    @Benchmark
    public ServiceInstance stickyHitReactive() {
        AffinityRequest request = new AffinityRequest(this.second.state(), false, false, List.of());
        Response<ServiceInstance> response =
                this.balancer.choose(new DefaultRequest<>(request)).block();
        return (response != null) ? response.getServer() : null;
    }

    /** Reference point: JMH's own cost of returning an object (what "0 ns" looks like here). */
    @Benchmark
    public void baseline(Blackhole blackhole) {
        blackhole.consume(this.second);
    }
}
