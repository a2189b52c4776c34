package dev.affinity.gateway.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.cookie.CookieScan.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieScanTests {

    static final String NAME = "KNOX_BACKEND-hive";

    @Test
    void shouldReportAbsentAndLeaveHeadersAloneWhenTheCookieIsMissing() {
        CookieScan scan = CookieScan.scan(List.of("a=1; b=2"), NAME);
        assertThat(scan.status()).isEqualTo(Status.ABSENT);
        assertThat(scan.remainingHeaders()).isNull();
        assertThat(CookieScan.scan(List.of(), NAME).status()).isEqualTo(Status.ABSENT);
    }

    @Test
    void shouldFindTheValueAndStripOnlyTheAffinityCookie() {
        CookieScan scan = CookieScan.scan(List.of("a=1; " + NAME + "=abc; b=2"), NAME);
        assertThat(scan.status()).isEqualTo(Status.PRESENT);
        assertThat(scan.value()).isEqualTo("abc");
        assertThat(scan.remainingHeaders()).containsExactly("a=1; b=2");
    }

    @Test
    void shouldNotConfuseCookiesWhoseNameContainsTheAffinityName() {
        CookieScan scan = CookieScan.scan(List.of(NAME + "2=x; " + "X" + NAME + "=y"), NAME);
        assertThat(scan.status()).isEqualTo(Status.ABSENT);
        assertThat(scan.remainingHeaders()).as("headers forwarded unchanged").isNull();
    }

    @Test
    void shouldDropTheCookieHeaderEntirelyWhenItHeldOnlyTheAffinityCookie() {
        CookieScan scan = CookieScan.scan(List.of(NAME + "=abc"), NAME);
        assertThat(scan.remainingHeaders()).isEmpty();
    }

    @Test
    void shouldReportEveryValueOfARepeatedCookieInHeaderOrderEvenAcrossHeaders() {
        CookieScan scan = CookieScan.scan(List.of(NAME + "=a", "c=3; " + NAME + "=\"b\"; d=4"), NAME);
        assertThat(scan.status()).isEqualTo(Status.REPEATED);
        assertThat(scan.value()).isNull();
        assertThat(scan.repeatedValues()).containsExactly("a", "b");
        assertThat(scan.remainingHeaders()).containsExactly("c=3; d=4");
    }

    @Test
    void shouldSkipOversizedRepeatedValuesAndKeepTheLastEight() {
        String huge = "x".repeat(CookieScan.MAX_VALUE_LENGTH + 1);
        StringBuilder header = new StringBuilder(NAME + "=" + huge);
        for (int i = 0; i < 12; i++) {
            header.append("; ").append(NAME).append("=v").append(i);
        }
        CookieScan scan = CookieScan.scan(List.of(header.toString(), "other=1"), NAME);
        assertThat(scan.status()).isEqualTo(Status.REPEATED);
        assertThat(scan.repeatedValues())
                .as("the last: an appending client holds its newest last")
                .containsExactly("v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11");
        assertThat(scan.remainingHeaders()).containsExactly("other=1");
    }

    @Test
    void shouldTreatOversizedValuesAsInvalid() {
        CookieScan scan = CookieScan.scan(List.of(NAME + "=" + "x".repeat(CookieScan.MAX_VALUE_LENGTH + 1)), NAME);
        assertThat(scan.status()).isEqualTo(Status.INVALID);
    }

    @Test
    void shouldUnquoteQuotedValuesAndKeepHeadersAfterTheMatch() {
        CookieScan scan = CookieScan.scan(List.of("a=1", NAME + "=\"abc\"", "z=26"), NAME);
        assertThat(scan.value()).isEqualTo("abc");
        assertThat(scan.remainingHeaders()).containsExactly("a=1", "z=26");
    }
}
