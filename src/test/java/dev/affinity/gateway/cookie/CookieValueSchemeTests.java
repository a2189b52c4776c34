package dev.affinity.gateway.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;

class CookieValueSchemeTests {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    static final byte[] OLD_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    final DefaultServiceInstance node1 = new DefaultServiceInstance(null, "hive", "node1", 10001, false);

    final DefaultServiceInstance node10 = new DefaultServiceInstance(null, "hive", "node10", 10001, false);

    @Test
    void shouldBeTruncatedBase64UrlHmacOfServiceIdAndInstanceKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] digest = mac.doFinal("hivehttp://node1:10001".getBytes(StandardCharsets.UTF_8));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));

        String value = new HmacCookieValueScheme(KEY, List.of()).current("hive", this.node1);

        assertThat(value).isEqualTo(expected).hasSize(HmacCookieValueScheme.VALUE_LENGTH);
    }

    @Test
    void shouldStampTheIssueTimeInSixBase64UrlCharactersThatReadBack() {
        for (long second : new long[] {0, 1, 1_796_000_000L, 0xFFFF_FFFFL}) {
            String stamp = HmacCookieValueScheme.stamp(second);
            assertThat(stamp).hasSize(6).matches("[A-Za-z0-9_-]{6}");
            assertThat(HmacCookieValueScheme.issuedAt("x" + stamp, 1)).isEqualTo(second);
        }
        assertThat(HmacCookieValueScheme.stamp(1_796_000_001L))
                .isGreaterThan(HmacCookieValueScheme.stamp(1_796_000_000L));
        assertThat(HmacCookieValueScheme.issuedAt("AAAA!A", 0))
                .as("not base64url")
                .isEqualTo(-1);
        assertThat(HmacCookieValueScheme.issuedAt("AAAAAB", 0))
                .as("low bits set: not ours")
                .isEqualTo(-1);
    }

    @Test
    void shouldUseTheConfiguredInstanceIdAsTheInstanceKey() {
        DefaultServiceInstance named = new DefaultServiceInstance("hs2-a", "hive", "node1", 10001, false);
        HmacCookieValueScheme values = new HmacCookieValueScheme(KEY, List.of());
        assertThat(InstanceKeyPolicy.cookieKey(named)).isEqualTo("hs2-a");
        assertThat(values.current("hive", named)).isNotEqualTo(values.current("hive", this.node1));
    }

    @Test
    void shouldDistinguishInstancesWhoseNamesArePrefixesOfEachOther() {
        HmacCookieValueScheme values = new HmacCookieValueScheme(KEY, List.of());
        assertThat(values.current("hive", this.node1)).isNotEqualTo(values.current("hive", this.node10));
    }

    @Test
    void shouldOfferPreviousKeyValuesThatDifferFromTheCurrentOne() {
        HmacCookieValueScheme rotated = new HmacCookieValueScheme(KEY, List.of(OLD_KEY));
        HmacCookieValueScheme old = new HmacCookieValueScheme(OLD_KEY, List.of());
        assertThat(rotated.previous("hive", this.node1)).containsExactly(old.current("hive", this.node1));
        assertThat(rotated.current("hive", this.node1)).isNotEqualTo(old.current("hive", this.node1));
    }

    @Test
    void shouldComputeKnoxValuesAsHexSha256OfTheKnoxUrl() throws Exception {
        DefaultServiceInstance withKnoxUrl = new DefaultServiceInstance(
                null, "hive", "node1", 10001, false, Map.of("knox-url", "http://node1:10001/cliservice"));
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest("http://node1:10001/cliservice".getBytes(StandardCharsets.UTF_8)));

        assertThat(new KnoxCookieValueScheme().current("hive", withKnoxUrl)).isEqualTo(expected);
    }

    @Test
    void shouldHaveNoKnoxValueWithoutKnoxUrlInsteadOfHashingTheInstanceUri() {
        KnoxCookieValueScheme values = new KnoxCookieValueScheme();

        assertThat(values.accepts("hive", this.node1)).isFalse();
        assertThatThrownBy(() -> values.current("hive", this.node1))
                .hasMessageContaining("node1:10001")
                .hasMessageContaining("hive")
                .hasMessageContaining("knox-url");
    }
}
