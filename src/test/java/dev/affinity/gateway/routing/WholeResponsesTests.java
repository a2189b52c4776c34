package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which announced lengths are read whole: one plain decimal number from 1 to the limit. */
class WholeResponsesTests {

    @Test
    void shouldReadAPlainLengthUpToTheLimit() {
        assertThat(WholeResponses.bodyLength("1")).isEqualTo(1);
        assertThat(WholeResponses.bodyLength("0")).isZero();
        assertThat(WholeResponses.bodyLength("00042")).isEqualTo(42);
        assertThat(WholeResponses.bodyLength(String.valueOf(WholeResponses.MAX_BYTES)))
                .isEqualTo(WholeResponses.MAX_BYTES);
    }

    @Test
    void shouldStreamWhatIsLargerUnknownOrNotAPlainNumber() {
        assertThat(WholeResponses.bodyLength(String.valueOf(WholeResponses.MAX_BYTES + 1)))
                .isNegative();
        assertThat(WholeResponses.bodyLength("99999999999999999999")).isNegative();
        assertThat(WholeResponses.bodyLength(null)).isNegative();
        assertThat(WholeResponses.bodyLength("")).isNegative();
        for (String odd : new String[] {"+5", "-5", " 5", "5 ", "5,5", "1e3", "0x10", "５"}) {
            assertThat(WholeResponses.bodyLength(odd)).as(odd).isNegative();
        }
    }
}
