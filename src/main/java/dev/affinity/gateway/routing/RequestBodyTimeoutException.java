package dev.affinity.gateway.routing;

import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The response timeout passed while the gateway was still waiting for the client's request body: a
 * {@code 408 Request Timeout}, the client's failure and not the instance's (no failover, no passive
 * ejection), where a backend that does not answer gets {@code 504}.
 */
public class RequestBodyTimeoutException extends ResponseStatusException {

    RequestBodyTimeoutException(Duration timeout) {
        super(
                HttpStatus.REQUEST_TIMEOUT,
                "The request body did not arrive within the response timeout (" + timeout + ")");
    }
}
