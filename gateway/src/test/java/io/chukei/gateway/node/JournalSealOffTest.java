package io.chukei.gateway.node;

import io.chukei.gateway.journal.JournalKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code journal.seal=off} is for benchmarks on fresh data directories: never over a journal that was sealed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalSealOffTest
{
    @TempDir
    Path dataDir;

    @Test
    void sealingOffIsRefusedOnADataDirectoryThatHasAKeyRing() throws Exception
    {
        JournalKeys.loadOrCreate(JournalKeys.defaultFile(dataDir));
        final RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "journal.seal", "off"), Clock.systemUTC());
        try
        {
            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("journal.seal=off (benchmarks only)")
                .hasMessageContaining(dataDir.toString());
            assertThat(dataDir.resolve("journal")).doesNotExist();
        }
        finally
        {
            node.close();
        }
    }

    @Test
    void sealingOffIsRefusedWithAConfiguredKeyFile() throws Exception
    {
        final Path keyFile = dataDir.resolve("elsewhere.keys");
        JournalKeys.loadOrCreate(keyFile);
        final RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "journal.seal", "off",
            "journal.keyFile", keyFile.toString()), Clock.systemUTC());
        try
        {
            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("journal.seal=off (benchmarks only)");
            assertThat(Files.exists(JournalKeys.defaultFile(dataDir))).isFalse();
        }
        finally
        {
            node.close();
        }
    }
}
