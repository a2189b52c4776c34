package dev.affinity.gateway.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** The {@code demo} profile: backends on 9001-9003 and their control server on 9000, on loopback. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
public class DemoConfiguration {

    @Bean
    public DemoBackendGroup demoBackends(
            @Value("${demo.host:127.0.0.1}") String host, @Value("${demo.first-port:9001}") int firstPort) {
        return new DemoBackendGroup(host, firstPort, 3);
    }

    @Bean
    public SmartLifecycle demoLifecycle(
            DemoBackendGroup backends,
            @Value("${demo.host:127.0.0.1}") String host,
            @Value("${demo.control-port:9000}") int controlPort) {
        DemoControlServer control = new DemoControlServer(backends);
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                backends.startAll();
                control.start(host, controlPort);
                this.running = true;
            }

            @Override
            public void stop() {
                control.stop();
                backends.stopAll();
                this.running = false;
            }

            @Override
            public boolean isRunning() {
                return this.running;
            }

            @Override
            public int getPhase() {
                return Integer.MIN_VALUE; // up before the gateway takes traffic, down after it stopped
            }
        };
    }
}
