package dev.affinity.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * An {@link InvalidConfigurationException} as Spring Boot's "APPLICATION FAILED TO START" report:
 * its message (the keys and the rule) and what to do, without the bean-creation stack trace.
 * Registered in {@code META-INF/spring.factories} next to {@link ConfigurationFailureAnalyzer}.
 */
public class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis(
                String.valueOf(cause.getMessage()),
                "Correct your configuration. docs/CONFIGURATION.md lists every key.",
                cause);
    }
}
