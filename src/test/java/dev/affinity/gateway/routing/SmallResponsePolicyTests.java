package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which announced lengths are read whole: one plain decimal number from 1 to the limit. */
class SmallResponsePolicyTests {

    @Test
    void shouldReadAPlainLengthUpToTheLimit() {
        assertThat(SmallResponsePolicy.bodyLength("1")).isEqualTo(1);
        assertThat(SmallResponsePolicy.bodyLength("0")).isZero();
        assertThat(SmallResponsePolicy.bodyLength("00042")).isEqualTo(42);
        assertThat(SmallResponsePolicy.bodyLength(String.valueOf(SmallResponsePolicy.MAX_BYTES)))
                .isEqualTo(SmallResponsePolicy.MAX_BYTES);
    }

    @Test
    void shouldStreamWhatIsLargerUnknownOrNotAPlainNumber() {
        assertThat(SmallResponsePolicy.bodyLength(String.valueOf(SmallResponsePolicy.MAX_BYTES + 1)))
                .isNegative();
        assertThat(SmallResponsePolicy.bodyLength("99999999999999999999")).isNegative();
        assertThat(SmallResponsePolicy.bodyLength(null)).isNegative();
        assertThat(SmallResponsePolicy.bodyLength("")).isNegative();
        for (String odd : new String[] {"+5", "-5", " 5", "5 ", "5,5", "1e3", "0x10", "５"}) {
            assertThat(SmallResponsePolicy.bodyLength(odd)).as(odd).isNegative();
        }
    }
}
