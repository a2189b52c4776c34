package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValues;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import dev.affinity.gateway.registry.Snapshot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;

/** The balancer's synchronous decision, one case per rule of the design. */
class AffinityLoadBalancerTests {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    static final byte[] OLD_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    final ServiceProperties settings = new ServiceProperties();

    ServiceRegistry service;

    Snapshot snapshot;

    AffinityLoadBalancer balancer;

    InstanceState a;

    InstanceState b;

    void start() {
        this.service = new ServiceRegistry(
                "hive", this.settings, "KNOX_BACKEND-hive", new HmacCookieValues(KEY, List.of(OLD_KEY)), () -> 0L);
        this.snapshot = this.service.refresh(List.of(
                new DefaultServiceInstance("a", "hive", "node1", 10001, false),
                new DefaultServiceInstance("b", "hive", "node2", 10001, false)));
        this.a = this.snapshot.instances().get(0);
        this.b = this.snapshot.instances().get(1);
        this.balancer = new AffinityLoadBalancer(null, this.service);
    }

    RoutingContext request(String cookieHeader) {
        List<String> headers = (cookieHeader == null) ? List.of() : List.of(cookieHeader);
        return new RoutingContext(
                this.service, URI.create("lb://hive/"), CookieScan.scan(headers, "KNOX_BACKEND-hive"), false);
    }

    @Test
    void shouldKeepAClientOnThePinnedInstanceWithoutReissuingTheCookie() {
        start();
        RoutingContext context = request("KNOX_BACKEND-hive=" + this.b.cookieValue());
        assertThat(this.balancer.choose(context, this.snapshot)).isSameAs(this.b);
        assertThat(context.decision()).isEqualTo(Decision.STICKY);
        assertThat(context.needsCookie(this.b)).isFalse();
    }

    @Test
    void shouldHonourAndReissueACookieOfAPreviousSecret() {
        start();
        String old = new HmacCookieValues(OLD_KEY, List.of()).current("hive", this.b.instance());
        RoutingContext context = request("KNOX_BACKEND-hive=" + old);
        assertThat(this.balancer.choose(context, this.snapshot)).isSameAs(this.b);
        assertThat(context.decision()).isEqualTo(Decision.STICKY);
        assertThat(context.needsCookie(this.b)).isTrue();
    }

    @Test
    void shouldAssignClientsWithoutAUsableCookieAndSayWhy() {
        start();
        RoutingContext fresh = request(null);
        assertThat(this.balancer.choose(fresh, this.snapshot)).isNotNull();
        assertThat(fresh.decision()).isEqualTo(Decision.ASSIGNED);
        RoutingContext garbage = request("KNOX_BACKEND-hive=nonsense");
        InstanceState chosen = this.balancer.choose(garbage, this.snapshot);
        assertThat(garbage.decision()).isEqualTo(Decision.REJECTED);
        assertThat(garbage.cookieRejected()).isTrue();
        assertThat(garbage.needsCookie(chosen)).isTrue();
    }

    @Test
    void shouldTakeTheFirstRepeatedValueThatNamesAnInstanceWithoutRepinning() {
        start();
        String b = "KNOX_BACKEND-hive=" + this.b.cookieValue();
        String a = "KNOX_BACKEND-hive=" + this.a.cookieValue();
        RoutingContext staleFirst = request("KNOX_BACKEND-hive=from-an-old-path; " + b);
        assertThat(this.balancer.choose(staleFirst, this.snapshot)).isSameAs(this.b);
        assertThat(staleFirst.decision()).isEqualTo(Decision.STICKY);
        assertThat(staleFirst.cookieRejected()).isFalse();
        assertThat(staleFirst.needsCookie(this.b)).isFalse();

        RoutingContext both = request(a + "; " + b);
        assertThat(this.balancer.choose(both, this.snapshot))
                .as("header order wins")
                .isSameAs(this.a);
        assertThat(both.needsCookie(this.a)).isFalse();

        RoutingContext none = request("KNOX_BACKEND-hive=x; KNOX_BACKEND-hive=y");
        InstanceState chosen = this.balancer.choose(none, this.snapshot);
        assertThat(none.decision()).isEqualTo(Decision.REJECTED);
        assertThat(none.cookieRejected()).isTrue();
        assertThat(none.needsCookie(chosen)).isTrue();
    }

    @Test
    void shouldMovePinnedClientsOffADisabledInstanceButKeepThemOnADrainingOne() {
        start();
        this.service.setAdminState(this.b, AdminState.DRAINING);
        RoutingContext draining = request("KNOX_BACKEND-hive=" + this.b.cookieValue());
        assertThat(this.balancer.choose(draining, this.snapshot)).isSameAs(this.b);
        for (int i = 0; i < 4; i++) {
            assertThat(this.balancer.choose(request(null), this.snapshot))
                    .as("no new clients")
                    .isSameAs(this.a);
        }
        this.service.setAdminState(this.b, AdminState.DISABLED);
        RoutingContext disabled = request("KNOX_BACKEND-hive=" + this.b.cookieValue());
        assertThat(this.balancer.choose(disabled, this.snapshot)).isSameAs(this.a);
        assertThat(disabled.decision()).isEqualTo(Decision.FAILOVER);
        assertThat(disabled.movedFromInstances()).containsExactly(this.b);
        assertThat(disabled.needsCookie(this.a)).isTrue();
    }

    @Test
    void shouldRefuseInsteadOfMovingWhenNoFallbackIsSet() {
        this.settings.setNoFallback(true);
        start();
        this.service.setAdminState(this.b, AdminState.DISABLED);
        RoutingContext context = request("KNOX_BACKEND-hive=" + this.b.cookieValue());
        assertThat(this.balancer.choose(context, this.snapshot)).isNull();
        assertThat(context.refused()).isTrue();
    }

    @Test
    void shouldNotTryAFailedInstanceAgainWithinARequest() {
        start();
        RoutingContext context = request("KNOX_BACKEND-hive=" + this.a.cookieValue());
        assertThat(this.balancer.choose(context, this.snapshot)).isSameAs(this.a);
        context.endAttempt(true);
        assertThat(this.balancer.choose(context, this.snapshot)).isSameAs(this.b);
        assertThat(context.decision()).isEqualTo(Decision.FAILOVER);
        context.endAttempt(true);
        assertThat(this.balancer.choose(context, this.snapshot))
                .as("nothing left")
                .isNull();
    }

    @Test
    void shouldSendEveryoneToTheActiveInstanceInFailoverModeAndMoveOnlyWhenItFails() {
        this.settings.setMode(AffinityMode.FAILOVER);
        start();
        InstanceState first = this.balancer.choose(request(null), this.snapshot);
        for (int i = 0; i < 4; i++) {
            RoutingContext context = request(null);
            assertThat(this.balancer.choose(context, this.snapshot)).isSameAs(first);
            assertThat(context.decision()).isEqualTo(Decision.STICKY);
        }
        RoutingContext failing = request(null);
        this.balancer.choose(failing, this.snapshot);
        failing.endAttempt(true);
        InstanceState next = this.balancer.choose(failing, this.snapshot);
        assertThat(next).isNotSameAs(first);
        assertThat(failing.decision()).isEqualTo(Decision.FAILOVER);
        assertThat(this.balancer.choose(request(null), this.snapshot))
                .as("stays on the new active")
                .isSameAs(next);
    }
}
