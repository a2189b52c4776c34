package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CookieTableTests {

    @Test
    void shouldFindEveryValueByARegionOfALargerStringAndNothingElse() {
        Map<String, Snapshot.CookieMatch> entries = new HashMap<>();
        for (int i = 0; i < 300; i++) { // many entries: collisions and probing happen
            entries.put("value-" + i, new Snapshot.CookieMatch(null, i % 2 == 0));
        }
        CookieTable table = new CookieTable(entries);

        entries.forEach((value, match) -> {
            String header = "a=1; KNOX_BACKEND-hive=" + value + "; z=2";
            int start = header.indexOf(value);
            assertThat(table.find(header, start, start + value.length())).isSameAs(match);
        });
        String header = "KNOX_BACKEND-hive=value-3000";
        assertThat(table.find(header, 18, header.length())).isNull();
        assertThat(table.find(header, 18, header.length() - 1)).isNull(); // "value-300" is a prefix of a key
        assertThat(table.find(header, 18, 18)).isNull();
    }

    @Test
    void shouldAnswerNothingWhenEmpty() {
        assertThat(new CookieTable(Map.of()).find("x", 0, 1)).isNull();
    }
}
