package io.chukei.gateway.cardsim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CardSimulatorConfigTest
{
    private static final Path DATA = Path.of("target/cardsim-config-test");

    @Test
    void defaultsBindLoopbackWithoutAdminOrTls()
    {
        final CardSimulatorConfig config = CardSimulatorConfig.builder().dataDirectory(DATA).build();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.adminPort()).isEqualTo(CardSimulatorConfig.ADMIN_DISABLED);
        assertThat(config.tls()).isNull();
        assertThat(config.maxQueued()).isEqualTo(100_000);
    }

    @Test
    void aDataDirectoryIsRequired()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().build())
            .isInstanceOf(NullPointerException.class)
            .hasMessage("dataDirectory");
    }

    @Test
    void portOutOfRangeIsNamed()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).port(70_000).build())
            .hasMessage("port: 70000 (expected: 0..65535, 0 = ephemeral)");
    }

    @Test
    void adminPortMustDifferFromPort()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).port(7600).adminPort(7600).build())
            .hasMessage("adminPort: 7600 (expected: different from port 7600)");
    }

    @Test
    void concurrencyMustBePositive()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).concurrency(0).build())
            .hasMessage("concurrency: 0 (expected: >= 1)");
    }

    @Test
    void negativeServiceTimeAndJitterAreRefused()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).serviceTimeMs(-1).build())
            .hasMessage("serviceTimeMs: -1 (expected: >= 0)");
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).jitterMs(-5).build())
            .hasMessage("jitterMs: -5 (expected: >= 0)");
    }

    @Test
    void blankHostIsRefused()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).host(" ").build())
            .hasMessageStartingWith("host: \" \"");
    }

    @Test
    void aSinglePortIsOneEndpoint()
    {
        final CardSimulatorConfig config = CardSimulatorConfig.builder().dataDirectory(DATA).port(7600).build();

        assertThat(config.port()).isEqualTo(7600);
        assertThat(config.ports()).containsExactly(7600);
        assertThat(config.endpointCount()).isEqualTo(1);
    }

    @Test
    void severalPortsAreSeveralEndpointsInOrder()
    {
        final CardSimulatorConfig config = CardSimulatorConfig.builder().dataDirectory(DATA).ports(List.of(7602, 7600)).build();

        assertThat(config.ports()).containsExactly(7602, 7600);
        assertThat(config.port()).isEqualTo(7602);
        assertThat(config.endpointCount()).isEqualTo(2);
    }

    @Test
    void endpointsGivesEachAnEphemeralPort()
    {
        assertThat(CardSimulatorConfig.builder().dataDirectory(DATA).endpoints(3).build().ports()).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> CardSimulatorConfig.builder().endpoints(0))
            .hasMessage("endpoints: 0 (expected: 1..64)");
    }

    @Test
    void aRepeatedOrMissingPortIsRefused()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).ports(List.of(7600, 7600)).build())
            .hasMessage("ports: [7600, 7600] (expected: each port at most once, 7600 repeats)");
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).ports(List.of()).build())
            .hasMessage("ports: [] (expected: 1..64 ports)");
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).ports(List.of(7600, 70_000)).build())
            .hasMessage("port: 70000 (expected: 0..65535, 0 = ephemeral)");
    }

    @Test
    void adminPortMustDifferFromEveryPort()
    {
        assertThatThrownBy(() -> CardSimulatorConfig.builder().dataDirectory(DATA).ports(List.of(7600, 7602)).adminPort(7602).build())
            .hasMessage("adminPort: 7602 (expected: different from ports [7600, 7602])");
    }
}
