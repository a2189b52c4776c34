package dev.affinity.gateway.config;

/**
 * A configuration mistake only a bean can see at startup: a rule over several keys or services (two
 * services sharing a cookie, {@code SameSite=None} without {@code Secure}), or over the instances
 * discovery returned (a Knox URL missing). Its message names the keys and never holds a secret;
 * {@link InvalidConfigurationFailureAnalyzer} shows it as Spring Boot's startup failure report, like
 * a misspelled key, not as a stack trace.
 */
public class InvalidConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
