package io.chukei.gateway.config;

import io.chukei.gateway.journal.JournalDurability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayConfigTest
{
    @Test
    void defaultsAreLoopbackProcessDurabilityAndTheEmbeddedSimulator()
    {
        final RelayConfig config = RelayConfig.defaults(Path.of("d"));

        assertThat(config.connector().listen()).isEqualTo(new HostPort("127.0.0.1", 7400));
        assertThat(config.adminListen()).isEqualTo(new HostPort("127.0.0.1", 7500));
        assertThat(config.journal().durability()).isEqualTo(RelayConfig.Durability.PROCESS);
        assertThat(config.journal().writebackCheckMs()).as("a failing disk is heard of in process mode").isEqualTo(1000);
        assertThat(config.upstream().embedded()).isTrue();
        assertThat(config.upstream().endpoints()).containsExactly(new HostPort("127.0.0.1", 7600));
        assertThat(config.dataDir()).isEqualTo(Path.of("d"));
    }

    @Test
    void theAdminListenerIsBoundedAndThePlainListenerOffByDefault()
    {
        final RelayConfig.Admin defaults = RelayConfig.defaults(Path.of("d")).admin();
        final java.util.Properties properties = new java.util.Properties();
        properties.setProperty("admin.plainListen", "127.0.0.1:7509");

        assertThat(defaults).isEqualTo(new RelayConfig.Admin(null, 10_000, 256));
        assertThat(RelayConfig.load(properties, Path.of("d")).admin().plainListen())
            .isEqualTo(new HostPort("127.0.0.1", 7509));
        properties.setProperty("admin.maxConnections", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RelayConfig.load(properties, Path.of("d")))
            .hasMessageStartingWith("admin.maxConnections: 0");
    }

    @Test
    void theExampleFileLoads() throws Exception
    {
        final RelayConfig config = RelayConfig.load(Path.of("../ops/examples/node.properties"), null);

        assertThat(config.journal().durability()).isEqualTo(RelayConfig.Durability.SYNC);
        assertThat(config.upstream().embedded()).isFalse();
        assertThat(config.upstream().endpoints()).hasSize(2);
    }

    @Test
    void revocationIsOffUnlessTlsCrlNamesAFileOrDirectory()
    {
        assertThat(RelayConfig.defaults(Path.of("d")).crl().enabled()).isFalse();
        assertThat(load("tls.crl", "/etc/chukei/crl").crl())
            .isEqualTo(new RelayConfig.Crl(Path.of("/etc/chukei/crl"), 3600));
        assertThatThrownBy(() -> load("tls.crl.graceSeconds", "-1"))
            .hasMessage("tls.crl.graceSeconds: -1 (expected: 0..2592000)");
    }

    @Test
    void aMisspeltKeyIsAnErrorNotASilentDefault()
    {
        assertThatThrownBy(() -> load("journal.durabilty", "sync"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown configuration keys: [journal.durabilty]");
    }

    @Test
    void anOutOfRangeValueNamesKeyValueAndRange()
    {
        assertThatThrownBy(() -> load("connector.missedHeartbeats", "1"))
            .hasMessage("connector.missedHeartbeats: 1 (expected: 2..100)");
    }

    @Test
    void theDeadlinesBeforeHelloAndTheReadBudgetHaveDefaults()
    {
        final RelayConfig.Connector connector = RelayConfig.defaults(Path.of("d")).connector();

        assertThat(connector.handshakeTimeoutMs()).isEqualTo(2000);
        assertThat(connector.helloTimeoutMs()).isEqualTo(2000);
        assertThat(connector.readBudgetBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void aReadBudgetSmallerThanAKilobyteIsRefused()
    {
        assertThatThrownBy(() -> load("connector.readBudgetBytes", "512"))
            .hasMessage("connector.readBudgetBytes: 512 (expected: 1024..1048576)");
    }

    @Test
    void anUnknownChoiceListsTheChoices()
    {
        assertThatThrownBy(() -> load("journal.durability", "fsync"))
            .hasMessage("journal.durability: 'fsync' (expected one of: [process, sync, off])");
    }

    @Test
    void theJournalCanBeTurnedOffForBenchmarks()
    {
        assertThat(load("journal.durability", "off").journal().durability()).isEqualTo(RelayConfig.Durability.OFF);
    }

    @Test
    void sealingIsOnByDefaultAndCanBeTurnedOffForBenchmarks()
    {
        assertThat(RelayConfig.defaults(Path.of("d")).journal().seal()).isTrue();
        assertThat(load("journal.seal", "off").journal().seal()).isFalse();
    }

    @Test
    void theFlightRecordingUsesTheShippedSettingsUnlessAnotherProfileOrFileIsNamed(@TempDir final Path dir) throws Exception
    {
        assertThat(RelayConfig.defaults(Path.of("d")).evidence().jfrSettings()).isEqualTo("chukei");
        assertThat(load("evidence.jfr.settings", "default").evidence().jfrSettings()).isEqualTo("default");
        final Path file = java.nio.file.Files.writeString(dir.resolve("mine.jfc"), "<configuration version=\"2.0\"/>");
        assertThat(load("evidence.jfr.settings", file.toString()).evidence().jfrSettings()).isEqualTo(file.toString());
        assertThatThrownBy(() -> load("evidence.jfr.settings", "fast"))
            .hasMessage("evidence.jfr.settings: 'fast' (expected: chukei, default, profile or the path of an existing .jfc file)");
    }

    @Test
    void everyDurabilityChoiceNamesAJournalMode()
    {
        // The node maps one to the other by name.
        for (final RelayConfig.Durability durability : RelayConfig.Durability.values())
        {
            assertThatCode(() -> JournalDurability.valueOf(durability.name())).as("%s", durability).doesNotThrowAnyException();
        }
    }

    @Test
    void endpointsAreHostPortLists()
    {
        assertThat(load("upstream.endpoints", "10.0.0.1:7600, 10.0.0.2:7601").upstream().endpoints())
            .isEqualTo(List.of(new HostPort("10.0.0.1", 7600), new HostPort("10.0.0.2", 7601)));
        assertThatThrownBy(() -> load("upstream.endpoints", "10.0.0.1"))
            .hasMessage("upstream.endpoints: '10.0.0.1' (expected: host:port)");
    }

    @Test
    void healthAndEjectionHaveTheAgreedDefaults()
    {
        final RelayConfig config = RelayConfig.defaults(Path.of("d"));

        assertThat(config.health()).isEqualTo(new RelayConfig.Health(100, 500, 5000, 1000, 3000, 1000, 10_000));
        assertThat(config.upstream().ejectAfterErrors()).isEqualTo(5);
        assertThat(config.upstream().ejectionMs()).isEqualTo(2000);
        assertThat(config.upstream().maxEjectionPercent()).isEqualTo(50);
        assertThat(config.upstream().outlierFactor()).isEqualTo(3.0);
    }

    @Test
    void aStallBoundNotAboveTheCheckIntervalIsRefused()
    {
        assertThatThrownBy(() -> load("health.stallWakeMs", "100"))
            .hasMessage("health.stallWakeMs: 100 (expected: > health.checkIntervalMs, 100)");
    }

    @Test
    void theOutlierFactorIsANumberWithinItsRange()
    {
        assertThat(load("upstream.outlierFactor", "2.5").upstream().outlierFactor()).isEqualTo(2.5);
        assertThatThrownBy(() -> load("upstream.outlierFactor", "1"))
            .hasMessage("upstream.outlierFactor: 1 (expected: 1.1..1000.0)");
        assertThatThrownBy(() -> load("upstream.outlierFactor", "three"))
            .hasMessage("upstream.outlierFactor: 'three' (expected: a number)");
    }

    @Test
    void aNodeIsAClusterOfItselfByDefaultProbedEvery250Ms()
    {
        final RelayConfig config = RelayConfig.defaults(Path.of("d"));

        assertThat(config.cluster().nodes()).isEmpty();
        assertThat(config.cluster().probeIntervalMs()).isEqualTo(250);
        assertThat(config.cluster().probeTimeoutMs()).isEqualTo(250);
        assertThat(config.cluster().suspectAfterMissed()).isEqualTo(3);
        assertThat(config.connector().heartbeatIntervalMs()).as("400 ms x 3 missed: a stopped node noticed within 1.5 s")
            .isEqualTo(400);
    }

    @Test
    void theClusterListIsRead()
    {
        final RelayConfig config = load("cluster.nodes", "1@127.0.0.1:7400/127.0.0.1:7500,2@127.0.0.1:7410/127.0.0.1:7510");

        assertThat(config.cluster().nodes()).extracting(member -> member.id()).containsExactly(1, 2);
        assertThat(config.cluster().nodes().get(1).admin()).isEqualTo(new HostPort("127.0.0.1", 7510));
    }

    @Test
    void aClusterListWithoutThisNodeIsAnError()
    {
        assertThatThrownBy(() -> load("cluster.nodes", "2@127.0.0.1:7410/127.0.0.1:7510"))
            .hasMessage("cluster.nodes: [2@127.0.0.1:7410/127.0.0.1:7510] has no node 1 (expected: an entry for node.id 1)");
    }

    @Test
    void suspectAfterMissedMustBeAtLeastOne()
    {
        assertThatThrownBy(() -> load("cluster.suspectAfterMissed", "0"))
            .hasMessage("cluster.suspectAfterMissed: 0 (expected: 1..100)");
    }

    @Test
    void theRepertoireIsJapaneseNamesUnlessConfigured()
    {
        assertThat(RelayConfig.defaults(Path.of("d")).validation().repertoire()).isEqualTo("japanese-names");
        assertThat(load("validation.repertoire", "jisx0213").validation().buildRepertoire().name()).isEqualTo("jisx0213");
    }

    @Test
    void anUnknownRepertoireNamesTheKeyAndTheProfiles()
    {
        assertThatThrownBy(() -> load("validation.repertoire", "x-SJIS_0213"))
            .hasMessage("validation.repertoire: x-SJIS_0213 (expected: japanese-names, jisx0213, unicode or file:PATH)");
    }

    @Test
    void aMalformedLineInTheOperatorsRepertoireFileIsReportedNamingKeyAndLine(@TempDir final Path directory)
        throws Exception
    {
        final Path file = directory.resolve("chars.txt");
        java.nio.file.Files.writeString(file, "9AD9\n845B E0100\nkanji\n");
        final RelayConfig config = load("validation.repertoire", "file:" + file);

        assertThatThrownBy(() -> config.validation().buildRepertoire())
            .hasMessageStartingWith("validation.repertoire file:" + file + " line 3: 'kanji': not a code point");
    }

    private static RelayConfig load(final String key, final String value)
    {
        final Properties properties = new Properties();
        properties.setProperty(key, value);
        return RelayConfig.load(properties, Path.of("d"));
    }
}
