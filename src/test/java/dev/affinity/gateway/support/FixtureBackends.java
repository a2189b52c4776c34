package dev.affinity.gateway.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TestBackend}s of a {@link GatewayFixture}, of every service: started by service,
 * healed after each test, closed after the class.
 */
final class FixtureBackends {

    private final List<TestBackend> all = new ArrayList<>();

    /** Starts {@code count} backends {@code <service>-a, -b, ...} and returns them. */
    List<TestBackend> start(String service, int count) {
        List<TestBackend> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(TestBackend.start(service + "-" + (char) ('a' + i)));
        }
        this.all.addAll(started);
        return started;
    }

    /** Every backend answers OK again and is running, with no connection left from the last test. */
    void heal() {
        for (TestBackend backend : this.all) {
            backend.behave(TestBackend.Behaviour.OK);
            backend.stop(); // also drops hung connections
            backend.restart();
        }
    }

    void close() {
        this.all.forEach(TestBackend::close);
    }

    /** Every backend, of every service (the live list). */
    List<TestBackend> all() {
        return this.all;
    }

    /** The backends of one service. */
    List<TestBackend> of(String service) {
        return this.all.stream()
                .filter(backend -> backend.name().startsWith(service + "-"))
                .toList();
    }

    TestBackend named(String name) {
        return TestBackend.named(this.all, name);
    }
}
