package io.chukei.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;

class JournalConfigTest
{
    private final JournalConfig.Builder builder = JournalConfig.builder().directory(Path.of("/tmp/journal"));

    @Test
    void defaultsAreProcessDurabilitySevenDaysAndDailyCycles()
    {
        final JournalConfig config = builder.build();

        assertThat(config.durability()).isEqualTo(JournalDurability.PROCESS);
        assertThat(config.retentionDays()).isEqualTo(7);
        assertThat(config.rollCycle()).isEqualTo(RollCycles.FAST_DAILY);
    }

    @Test
    void retentionBelowOneDayIsRefused()
    {
        assertThatThrownBy(() -> builder.retentionDays(0).build()).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("retentionDays: 0 (expected: >= 1)");
    }

    @Test
    void aNonDailyRollCycleIsRefused()
    {
        assertThatThrownBy(() -> builder.rollCycle(RollCycles.FAST_HOURLY).build())
            .hasMessageStartingWith("rollCycle: FAST_HOURLY (expected: a daily cycle");
    }

    @Test
    void aZeroCheckpointIntervalIsRefused()
    {
        assertThatThrownBy(() -> builder.checkpointInterval(Duration.ZERO).build())
            .hasMessage("checkpointInterval: PT0S (expected: > 0)");
    }

    @Test
    void aMissingDirectoryIsNamed()
    {
        assertThatThrownBy(() -> JournalConfig.builder().build()).isInstanceOf(NullPointerException.class)
            .hasMessage("directory");
    }

    /** A tool reading a sealed journal without keys logged "keys=none (entries in clear)": read as unencrypted. */
    @Test
    void withoutKeysAReadOnlyToolSaysSealedPartsAreNotOpenedNotThatEntriesAreInClear()
    {
        assertThat(JournalConfig.builder().directory(Path.of("j")).readOnly(true).build().toString())
            .contains("keys=none (sealed parts are not opened)").doesNotContain("in clear");
        assertThat(JournalConfig.builder().directory(Path.of("j")).build().toString())
            .contains("keys=none (new entries are written in clear)");
    }
}
