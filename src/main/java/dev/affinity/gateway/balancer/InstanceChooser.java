package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.registry.InstanceState;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/** Picks an instance for a new client or a stateless request, by the configured balancer. */
final class InstanceChooser {

    private final BalancerType type;

    private final AtomicInteger position =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(1024));

    InstanceChooser(BalancerType type) {
        this.type = type;
    }

    /** One of {@code candidates}, or {@code null} when there is none. */
    @Nullable
    InstanceState pick(List<InstanceState> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int index = switch (this.type) {
            case ROUND_ROBIN -> roundRobin(this.position.getAndIncrement(), candidates.size());
            case RANDOM -> ThreadLocalRandom.current().nextInt(candidates.size());
            case LEAST_REQUESTS ->
                leastLoaded(candidates, InstanceState::activeRequests, this.position.getAndIncrement());
        };
        return candidates.get(index);
    }

    /**
     * The index for the {@code counter}-th pick among {@code size} items. The counter may have
     * overflowed to a negative value: its sign bit is dropped so the result stays in range.
     */
    static int roundRobin(int counter, int size) {
        return (counter & Integer.MAX_VALUE) % size;
    }

    /**
     * The index of the least loaded item. Ties are broken by scanning from a rotating start, so equal
     * instances (typically all idle) still share new clients evenly instead of the first one taking all.
     */
    static <T> int leastLoaded(List<T> items, ToIntFunction<T> load, int counter) {
        int size = items.size();
        int start = roundRobin(counter, size);
        int best = start;
        int bestLoad = load.applyAsInt(items.get(start));
        for (int i = 1; i < size; i++) {
            int index = (start + i) % size;
            int current = load.applyAsInt(items.get(index));
            if (current < bestLoad) {
                best = index;
                bestLoad = current;
            }
        }
        return best;
    }
}
