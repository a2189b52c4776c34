package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/** HiveServer2 znodes parsed exactly as Knox's HS2ZookeeperURLManager builds its URLs. */
class HiveServer2ZnodeTests {

    static final String NAME = "serverUri=hs2-a.example.com:10001;version=3.1.3000.7.1.7.0-551;sequence=0000000012";

    /** What HiveServer2 3.x in HTTP mode writes (its server config, joined as k=v;k=v). */
    static final String HTTP_DATA = "hive.server2.instance.uri=hs2-a.example.com:10001;"
            + "hive.server2.authentication=KERBEROS;hive.server2.transport.mode=http;"
            + "hive.server2.thrift.http.path=cliservice;hive.server2.thrift.sasl.qop=auth;"
            + "hive.server2.thrift.bind.host=hs2-a.example.com;hive.server2.thrift.http.port=10001;"
            + "hive.server2.use.SSL=false;hive.server2.authentication.kerberos.principal=hive/_HOST@EXAMPLE.COM";

    @Test
    void shouldBuildKnoxsUrlFromHostPortAndPath() {
        ServiceInstance instance = parse(NAME, HTTP_DATA);

        assertThat(instance).isNotNull();
        assertThat(instance.getMetadata()).containsEntry("knox-url", "http://hs2-a.example.com:10001/cliservice");
        assertThat(instance.getUri()).hasToString("http://hs2-a.example.com:10001");
        assertThat(instance.getInstanceId()).isEqualTo("hs2-a.example.com:10001");
        assertThat(instance.getServiceId()).isEqualTo("hive");
        assertThat(instance.isSecure()).isFalse();
    }

    @Test
    void shouldUseKnoxsDefaultsForPortAndPath() {
        ServiceInstance instance = parse("serverUri=h:10001;version=1;sequence=1", "hive.server2.thrift.bind.host=h");

        assertThat(instance).isNotNull();
        assertThat(instance.getMetadata()).containsEntry("knox-url", "http://h:10001/cliservice");
        assertThat(instance.getPort()).isEqualTo(10001);
    }

    @Test
    void shouldUseHttpsWhenSslIsOn() {
        ServiceInstance instance = parse(
                NAME,
                "hive.server2.thrift.bind.host=h;hive.server2.thrift.http.port=10443;hive.server2.use.SSL=true;"
                        + "hive.server2.thrift.http.path=gateway/hs2");

        assertThat(instance).isNotNull();
        assertThat(instance.getMetadata()).containsEntry("knox-url", "https://h:10443/gateway/hs2");
        assertThat(instance.getUri()).hasToString("https://h:10443");
        assertThat(instance.isSecure()).isTrue();
    }

    @Test
    void shouldTreatSslCaseInsensitivelyLikeBooleanParseBoolean() {
        ServiceInstance instance = parse(NAME, "hive.server2.thrift.bind.host=h;hive.server2.use.SSL=TRUE");

        assertThat(instance).isNotNull();
        assertThat(instance.getMetadata()).containsEntry("knox-url", "https://h:10001/cliservice");
    }

    @Test
    void shouldKeepThePathVerbatimAsKnoxDoes() {
        ServiceInstance instance = parse(NAME, "hive.server2.thrift.bind.host=h;hive.server2.thrift.http.path=/cli");

        assertThat(instance).isNotNull();
        assertThat(instance.getMetadata()).containsEntry("knox-url", "http://h:10001//cli");
    }

    @Test
    void shouldNameTheInstanceByHostAndPortWhenTheZnodeHasNoServerUri() {
        ServiceInstance instance = parse("hs2-node", "hive.server2.thrift.bind.host=h;hive.server2.thrift.http.port=1");

        assertThat(instance).isNotNull();
        assertThat(instance.getInstanceId()).isEqualTo("h:1");
    }

    @Test
    void shouldSkipZnodesThatCannotServeHttp() {
        assertThat(parse(NAME, "hive.server2.thrift.http.port=10001"))
                .as("no host")
                .isNull();
        assertThat(parse(NAME, null)).as("no data").isNull();
        assertThat(parse(NAME, "hive.server2.thrift.bind.host=h;hive.server2.thrift.http.port=x"))
                .as("port")
                .isNull();
        assertThat(parse(NAME, "hive.server2.thrift.bind.host=h;hive.server2.transport.mode=binary"))
                .as("binary transport")
                .isNull();
        assertThat(parse(NAME, "hive.server2.thrift.bind.host=h;hive.server2.transport.mode=all"))
                .as("http and binary")
                .isNotNull();
    }

    @Test
    void shouldReadKeyValuePairsWithKnoxsPattern() {
        assertThat(HiveServer2Znode.pairs("a=1;b=;c=x=y;d=4;a=5"))
                .as("a value ends at ';', a later value of a key wins, '=' inside a value stays")
                .containsExactly(entry("a", "5"), entry("b", ""), entry("c", "x=y"), entry("d", "4"));
    }

    private static @Nullable ServiceInstance parse(String name, @Nullable String data) {
        return HiveServer2Znode.parse("hive", name, (data != null) ? data.getBytes(StandardCharsets.UTF_8) : null);
    }
}
