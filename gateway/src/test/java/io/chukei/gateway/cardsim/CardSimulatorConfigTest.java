package io.chukei.gateway.cardsim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

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
        assertThat(config.sslContext()).isNull();
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
}
