package io.chukei.gateway.config;

import io.chukei.gateway.latency.StageLogConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageSettingsTest
{
    @Test
    void perStageLatencyIsOnByDefault()
    {
        assertThat(RelayConfig.defaults(Path.of("data")).stages()).isEqualTo(StageLogConfig.defaults());
    }

    @Test
    void theKeysSetRecordingAndItsFiles()
    {
        final StageLogConfig stages = load("metrics.stages", "OFF", "metrics.stages.intervalMs", "1000",
            "metrics.stages.rotateMinutes", "10", "metrics.stages.retainHours", "2", "metrics.stages.maxMegabytes", "8",
            "metrics.stages.recentMinutes", "5").stages();

        assertThat(stages).isEqualTo(new StageLogConfig(false, 1000, 10, 2, 8, 5));
        assertThat(stages.maxBytes()).isEqualTo(8L << 20);
    }

    @Test
    void aSwitchThatIsNeitherOnNorOffNamesTheKey()
    {
        assertThatThrownBy(() -> load("metrics.stages", "yes")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("metrics.stages: 'yes' (expected one of: [on, off])");
    }

    @Test
    void aRotationShorterThanOneIntervalIsRefused()
    {
        assertThatThrownBy(() -> load("metrics.stages.intervalMs", "120000", "metrics.stages.rotateMinutes", "1"))
            .hasMessageContaining("metrics.stages.rotateMinutes: 1 (expected: at least one interval");
    }

    private static RelayConfig load(final String... keyValues)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return RelayConfig.load(properties, Path.of("data"));
    }
}
