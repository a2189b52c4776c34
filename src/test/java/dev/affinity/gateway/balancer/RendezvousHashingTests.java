package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Rendezvous hashing: the same key goes to the same instance on every replica; removing an instance
 * moves only its keys, adding one moves about {@code 1/n} of them, all to it; and the spread over
 * synthetic keys is even. The spread table it logs is the one in the README.
 */
class RendezvousHashingTests {

    private static final Logger logger = LoggerFactory.getLogger(RendezvousHashingTests.class);

    final ServiceProperties settings = new ServiceProperties();

    @Test
    void shouldPickTheSameInstanceForAKeyOnEveryReplica() {
        SnapshotOwner one = TestOwners.owner(this.settings, Schedulers.immediate(), 5);
        SnapshotOwner other = TestOwners.owner(this.settings, Schedulers.immediate(), 5);
        RendezvousHashing first = new RendezvousHashing("hive");
        RendezvousHashing second = new RendezvousHashing("hive");
        for (int i = 0; i < 1000; i++) {
            long key = RendezvousHashing.hash("user-" + i);
            assertThat(first.pick(one.current(), List.of(), key).state().id())
                    .isEqualTo(
                            second.pick(other.current(), List.of(), key).state().id());
        }
    }

    @Test
    void shouldGiveEveryKeyToTheOnlyInstanceAndNoneWhenNoneTakesNewClients() {
        SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 1);
        RendezvousHashing hashing = new RendezvousHashing("hive");
        assertThat(hashing.pick(owner.current(), List.of(), 42).state().id()).isEqualTo("a");
        owner.setAdminState(TestOwners.state(owner, "a"), AdminState.DRAINING);
        assertThat(hashing.pick(owner.current(), List.of(), 42)).isNull();
    }

    @Test
    void shouldSendAFailedKeyToItsNextInstanceOnly() {
        SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 4);
        RendezvousHashing hashing = new RendezvousHashing("hive");
        for (int i = 0; i < 200; i++) {
            long key = RendezvousHashing.hash("user-" + i);
            Snapshot.Member home = hashing.pick(owner.current(), List.of(), key);
            Snapshot.Member next = hashing.pick(owner.current(), List.of(home.state()), key);
            owner.setAdminState(home.state(), AdminState.DISABLED);
            assertThat(hashing.pick(owner.current(), List.of(), key))
                    .as("excluding a failed instance = that instance gone")
                    .isSameAs(owner.current().member(next.state()));
            owner.setAdminState(home.state(), AdminState.ACTIVE);
        }
    }

    @Test
    void shouldSpreadKeysEvenlyAndMoveOnlyWhatAChangeOfInstancesMust() {
        StringBuilder table = new StringBuilder(
                "%n| keys | instances | max/mean | moved on removing one | moved on adding one |%n|---|---|---|---|---|%n"
                        .formatted());
        for (int keys : new int[] {10_000, 100_000}) {
            for (int n = 2; n <= 10; n++) {
                Spread spread = spread(keys, n);
                table.append(String.format(
                        Locale.ROOT,
                        "| %,d | %d | %.3f | %.3f (1/n = %.3f) | %.3f (1/(n+1) = %.3f) |%n",
                        keys,
                        n,
                        spread.maxOverMean,
                        spread.movedOnRemove,
                        1.0 / n,
                        spread.movedOnAdd,
                        1.0 / (n + 1)));
                double tolerance = (keys >= 100_000) ? 0.05 : 0.15;
                assertThat(spread.maxOverMean)
                        .as("%d keys, %d instances", keys, n)
                        .isLessThan(1 + 2 * tolerance);
                assertThat(spread.movedOnRemove * n)
                        .as("%d keys, %d instances", keys, n)
                        .isBetween(1 - tolerance, 1 + tolerance);
                assertThat(spread.movedOnAdd * (n + 1))
                        .as("%d keys, %d instances", keys, n)
                        .isBetween(1 - tolerance, 1 + tolerance);
            }
        }
        logger.info("Rendezvous hashing spread:{}", table);
    }

    /**
     * Hashes {@code keys} synthetic keys over {@code n} instances, then over {@code n - 1} (the last
     * removed) and {@code n + 1} (one added); asserts that only the removed instance's keys moved,
     * and only to the added one.
     */
    private Spread spread(int keys, int n) {
        SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), n + 1);
        Snapshot more = owner.current();
        owner.discovered(TestOwners.instances(n));
        Snapshot base = owner.current();
        owner.discovered(TestOwners.instances(n - 1));
        Snapshot fewer = owner.current();
        RendezvousHashing hashing = new RendezvousHashing("hive");
        int[] counts = new int[n];
        int movedOnRemove = 0;
        int movedOnAdd = 0;
        String removed = base.members().get(n - 1).state().id();
        String added = more.members().get(n).state().id();
        for (int i = 0; i < keys; i++) {
            long key = RendezvousHashing.hash("client-" + i);
            String home = hashing.pick(base, List.of(), key).state().id();
            counts[home.charAt(0) - 'a']++;
            String afterRemove = hashing.pick(fewer, List.of(), key).state().id();
            if (!afterRemove.equals(home)) {
                assertThat(home).as("only the removed instance's keys move").isEqualTo(removed);
                movedOnRemove++;
            }
            String afterAdd = hashing.pick(more, List.of(), key).state().id();
            if (!afterAdd.equals(home)) {
                assertThat(afterAdd).as("keys move only to the added instance").isEqualTo(added);
                movedOnAdd++;
            }
        }
        int max = 0;
        for (int count : counts) {
            max = Math.max(max, count);
        }
        return new Spread(max / ((double) keys / n), (double) movedOnRemove / keys, (double) movedOnAdd / keys);
    }

    private record Spread(double maxOverMean, double movedOnRemove, double movedOnAdd) {}
}
