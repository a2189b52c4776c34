package dev.affinity.gateway.filter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults a plain server cannot make, from WireMock backends behind the real gateway: a reset or
 * garbage after the request was read, a malformed chunked body, no response at all. A GET fails over
 * and is re-pinned; a POST that reached its backend is never sent again and gets a short plain 502;
 * nothing answers 500 or hangs. Answers slower than the response timeout: {@link WireMockTimeoutTests}.
 */
@Timeout(60)
class WireMockFaultTests {

    @RegisterExtension
    static final WireMockBackendGroup backends = new WireMockBackendGroup();

    @RegisterExtension
    static final GatewayFixture hive = backends.gateway();

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE"})
    void shouldFailAGetOverToAHealthyInstanceAndRepinTheClient(Fault fault) {
        CookieClient client = hive.client();
        String home = backends.login(client);
        backends.answer(home, aResponse().withFault(fault));

        HttpResponse<String> response = client.get("/hive/select");

        backends.assertFailedOverAndRepinned(response, home, client);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE"})
    void shouldNotRetryAPostThatReachedItsBackendAndAnswerAPlain502(Fault fault) {
        CookieClient client = hive.client();
        String home = backends.login(client);
        backends.answer(home, aResponse().withFault(fault));

        HttpResponse<String> response = client.post("/hive/statement", "insert 1".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as("%s: %s", fault, response.body()).isEqualTo(502);
        backends.assertPlainReason(response);
        backends.assertDeliveredOnceTo(home);
    }

    /**
     * The status line and headers arrive, then a broken chunk. The body streams after the attempt
     * is over, so even a GET is not failed over (see the README's failover rules); but nothing has
     * reached the client yet, so it gets a plain 502, never the generic 500.
     */
    @Test
    void shouldAnswer502ToAGetWhoseInstanceSendsAMalformedChunk() {
        CookieClient client = hive.client();
        String home = backends.login(client);
        backends.answer(home, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        backends.assertPlainReason(response);
    }

    @Test
    void shouldAnswer502ToAPostWhoseInstanceSendsAMalformedChunkAndNotRetryIt() {
        CookieClient client = hive.client();
        String home = backends.login(client);
        backends.answer(home, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        HttpResponse<String> response = client.post("/hive/statement", "insert 3".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        backends.assertPlainReason(response);
        backends.assertDeliveredOnceTo(home);
    }
}
