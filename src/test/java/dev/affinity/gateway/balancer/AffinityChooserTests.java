package dev.affinity.gateway.balancer;

import static dev.affinity.gateway.support.TestOwners.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * The pure choice, one row per rule: no Spring, no HTTP, a fixed round-robin start. With
 * {@code balancer: hash}: {@link AffinityChooserHashTests}.
 */
class AffinityChooserTests {

    final ServiceProperties settings = new ServiceProperties();

    final SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 2);

    final InstanceState a = state(this.owner, "a");

    final InstanceState b = state(this.owner, "b");

    AffinityChooser chooser(AffinityMode mode, boolean noFallback) {
        return new AffinityChooser(mode, noFallback, new InstanceChooser(BalancerType.ROUND_ROBIN, 0));
    }

    Choice choose(AffinityChooser chooser, AffinityRequest request) {
        return chooser.choose(this.owner.current(), request, null);
    }

    static AffinityRequest pinned(InstanceState instance, InstanceState... failed) {
        return new AffinityRequest(instance, false, false, List.of(failed));
    }

    @Test
    void shouldKeepAPinnedClientOnItsServingInstance() {
        Choice choice = choose(chooser(AffinityMode.STICKY, false), pinned(this.b));
        assertThat(choice.member().state()).isSameAs(this.b);
        assertThat(choice.decision()).isEqualTo(Decision.STICKY);
        assertThat(choice.movedFrom()).isNull();
    }

    @Test
    void shouldAssignNewClientsInTurnAndSayWhy() {
        AffinityChooser chooser = chooser(AffinityMode.STICKY, false);
        assertThat(choose(chooser, AffinityRequest.NEW_CLIENT).member().state()).isSameAs(this.a);
        assertThat(choose(chooser, AffinityRequest.NEW_CLIENT).member().state()).isSameAs(this.b);
        assertThat(choose(chooser, AffinityRequest.NEW_CLIENT).decision()).isEqualTo(Decision.ASSIGNED);
        Choice rejected = choose(chooser, new AffinityRequest(null, true, false, List.of()));
        assertThat(rejected.decision()).isEqualTo(Decision.REJECTED);
    }

    @Test
    void shouldKeepPinnedClientsOnADrainingInstanceButGiveItNoNewOnes() {
        this.owner.setAdminState(this.b, AdminState.DRAINING);
        AffinityChooser chooser = chooser(AffinityMode.STICKY, false);
        assertThat(choose(chooser, pinned(this.b)).member().state()).isSameAs(this.b);
        for (int i = 0; i < 4; i++) {
            assertThat(choose(chooser, AffinityRequest.NEW_CLIENT).member().state())
                    .isSameAs(this.a);
        }
    }

    @Test
    void shouldMovePinnedClientsOffADisabledInstanceAndRecordWhereFrom() {
        this.owner.setAdminState(this.b, AdminState.DISABLED);
        Choice choice = choose(chooser(AffinityMode.STICKY, false), pinned(this.b));
        assertThat(choice.member().state()).isSameAs(this.a);
        assertThat(choice.decision()).isEqualTo(Decision.FAILOVER);
        assertThat(choice.movedFrom()).isSameAs(this.b);
    }

    @Test
    void shouldRefuseInsteadOfMovingWhenNoFallbackIsSet() {
        this.owner.setAdminState(this.b, AdminState.DISABLED);
        Choice choice = choose(chooser(AffinityMode.STICKY, true), pinned(this.b));
        assertThat(choice.member()).isNull();
        assertThat(choice.movedFrom()).isNull();
    }

    @Test
    void shouldNeverTryAFailedInstanceAgainWithinARequest() {
        AffinityChooser chooser = chooser(AffinityMode.STICKY, false);
        Choice second = choose(chooser, pinned(this.a, this.a));
        assertThat(second.member().state()).isSameAs(this.b);
        assertThat(second.decision()).isEqualTo(Decision.FAILOVER);
        assertThat(choose(chooser, pinned(this.a, this.a, this.b)).member())
                .as("nothing left")
                .isNull();
    }

    @Test
    void shouldTreatACookieOfAnInstanceThatLeftAsAMove() {
        InstanceState gone = this.b;
        this.owner.discovered(TestOwners.instances(1));
        Choice choice = choose(chooser(AffinityMode.STICKY, false), pinned(gone));
        assertThat(choice.member().state()).isSameAs(this.a);
        assertThat(choice.decision()).isEqualTo(Decision.FAILOVER);
    }

    @Test
    void shouldBalanceEveryStatelessRequestOnItsOwn() {
        AffinityChooser chooser = chooser(AffinityMode.STATELESS, false);
        Choice first = choose(chooser, pinned(this.a));
        Choice second = choose(chooser, pinned(this.a));
        assertThat(List.of(first.member().state(), second.member().state())).containsExactly(this.a, this.b);
        assertThat(first.decision()).isEqualTo(Decision.STATELESS);
        assertThat(choose(chooser, pinned(this.a, this.a)).decision()).isEqualTo(Decision.FAILOVER);
    }

    @Test
    void shouldSendEveryoneToTheActiveInstanceInFailoverModeAndMoveOnlyWhenItFails() {
        AffinityChooser chooser = chooser(AffinityMode.FAILOVER, false);
        Choice first = chooser.choose(this.owner.current(), AffinityRequest.NEW_CLIENT, null);
        assertThat(first.decision()).isEqualTo(Decision.ASSIGNED);
        InstanceState active = first.member().state();
        Choice again = chooser.choose(this.owner.current(), AffinityRequest.NEW_CLIENT, active);
        assertThat(again.member().state()).isSameAs(active);
        assertThat(again.decision())
                .as("failover mode counts its steady state as sticky")
                .isEqualTo(Decision.STICKY);
        Choice moved = chooser.choose(this.owner.current(), pinned(null, active), active);
        assertThat(moved.member().state()).isNotSameAs(active);
        assertThat(moved.decision()).isEqualTo(Decision.FAILOVER);
        assertThat(moved.movedFrom()).isSameAs(active);
    }

    @Test
    void shouldRouteCookielessClientsLikeFailoverModeInAStickyService() {
        AffinityChooser chooser = chooser(AffinityMode.STICKY, false);
        AffinityRequest cookieless = new AffinityRequest(null, false, true, List.of());
        Choice first = chooser.choose(this.owner.current(), cookieless, null);
        Choice second =
                chooser.choose(this.owner.current(), cookieless, first.member().state());
        assertThat(second.member()).isSameAs(first.member());
        assertThat(second.decision()).isEqualTo(Decision.STICKY);
    }

    @Test
    void shouldAnswerNoneWhenNoInstanceIsAvailable() {
        this.owner.setHealthy(this.a, false);
        this.owner.setHealthy(this.b, false);
        assertThat(choose(chooser(AffinityMode.STICKY, false), AffinityRequest.NEW_CLIENT)
                        .member())
                .isNull();
        assertThat(AffinityChooser.hasCandidate(this.owner.current(), List.of()))
                .isFalse();
    }
}
