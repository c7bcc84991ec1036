package io.chukei.gateway.evidence;

import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceRecorderTest
{
    @TempDir
    Path dataDir;

    private final AtomicLong now = new AtomicLong(1_780_000_000_000L);
    private final List<String> journaled = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EvidenceRecorder recorder;

    @AfterEach
    void close()
    {
        if (recorder != null)
        {
            recorder.close();
        }
    }

    private EvidenceRecorder recorder(final EvidenceConfig config, final String metrics)
    {
        final RecentLogLines lines = new RecentLogLines(3);
        recorder = new EvidenceRecorder(config, new Sources(metrics), () -> null, lines, now::get, registry);
        return recorder;
    }

    private static EvidenceConfig config(final int minIntervalSeconds, final int retain, final int maxMegabytes)
    {
        return new EvidenceConfig(true, minIntervalSeconds, retain, maxMegabytes, 60, 100, 1000, false, 60, 10, false, 1, 1,
            EvidenceConfig.CHUKEI_JFR_SETTINGS);
    }

    @Test
    void aBundleHoldsEveryPartItsManifestNamesAndIsJournaled() throws Exception
    {
        final EvidenceRecorder.Outcome outcome = recorder(config(300, 20, 100), "chukei_up 1\n")
            .trigger(Trigger.EVENTLOOP_LAG, "event-loop lag 812 ms (bound 500 ms)");

        assertThat(outcome.accepted()).isTrue();
        assertThat(outcome.name()).isEqualTo("2026-05-28T20-26-40.000Z-eventloop-lag");
        final Path bundle = outcome.bundle().get(30, TimeUnit.SECONDS);
        assertThat(bundle.getFileName().toString()).isEqualTo(outcome.name());
        assertThat(bundle.resolve("threads.txt")).content().contains("chukei-evidence").contains("Locked ownable synchronizers");
        assertThat(bundle.resolve("metrics.prom")).content().isEqualTo("chukei_up 1\n");
        assertThat(bundle.resolve("journal.txt")).content().contains("ACCEPTED").contains("00000000-0000-0001-0000-000000000002");
        assertThat(bundle.resolve("os.txt")).content().contains("load average").contains("open files");
        assertThat(bundle.resolve("cluster.json")).content().contains("\"peers\"");
        assertThat(bundle.resolve("configuration.txt")).content().contains("RelayConfig[");
        final String manifest = Files.readString(bundle.resolve("manifest.json"));
        assertThat(manifest).contains("\"trigger\":\"eventloop-lag\"").contains("event-loop lag 812 ms")
            // No JFR here (switched off): the manifest says so rather than leaving the file out silently.
            .contains("\"recording.jfr\":\"failed in ").contains("java.io.IOException: no continuous recording");
        assertThat(journaled).containsExactly(outcome.name() + " eventloop-lag: event-loop lag 812 ms (bound 500 ms)");
        assertThat(registry.get("chukei.evidence.bundles").tag("trigger", "eventloop-lag").counter().count()).isEqualTo(1);
        assertThat(dataDir.resolve("evidence")).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void automaticTriggersWithinTheIntervalAreCountedNotWrittenAndAnOperatorStillGetsOne() throws Exception
    {
        recorder(config(300, 20, 100), "");
        final Path first = recorder.trigger(Trigger.EVENTLOOP_LAG, "lag").bundle().get(30, TimeUnit.SECONDS);
        now.addAndGet(Duration.ofSeconds(10).toMillis());
        for (int i = 0; i < 5; i++)
        {
            final EvidenceRecorder.Outcome again = recorder.trigger(Trigger.STALL, "woke after a stall of 3000 ms");
            assertThat(again.accepted()).isFalse();
            assertThat(again.why()).contains("evidence.minIntervalSeconds 300");
        }
        final Path operator = recorder.trigger(Trigger.OPERATOR, "operator request").bundle().get(30, TimeUnit.SECONDS);
        now.addAndGet(Duration.ofSeconds(300).toMillis());
        final Path later = recorder.trigger(Trigger.STALL, "woke").bundle().get(30, TimeUnit.SECONDS);

        assertThat(EvidenceBundles.list(recorder.directory())).containsExactly(first, operator, later);
        assertThat(registry.get("chukei.evidence.suppressed").functionCounter().count()).isEqualTo(5);
    }

    @Test
    void theOldestBundlesGoByCountAndBySize() throws Exception
    {
        recorder(config(0, 3, 100), "");
        final List<Path> written = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            now.addAndGet(1000);
            written.add(recorder.trigger(Trigger.OPERATOR, "n" + i).bundle().get(30, TimeUnit.SECONDS));
        }
        assertThat(EvidenceBundles.list(recorder.directory())).containsExactlyElementsOf(written.subList(2, 5));
        // The gauge is kept by the writer, not walked per scrape: it says what is on disk after retention.
        assertThat(registry.get("chukei.evidence.disk").gauge().value())
            .isEqualTo((double)EvidenceBundles.size(recorder.directory()));
        recorder.close();

        // 0.6 MB of metrics per bundle, 1 MB allowed: only the newest fits.
        recorder(config(0, 100, 1), "x".repeat(600_000));
        for (int i = 0; i < 3; i++)
        {
            now.addAndGet(1000);
            written.add(recorder.trigger(Trigger.OPERATOR, "big" + i).bundle().get(30, TimeUnit.SECONDS));
        }
        assertThat(EvidenceBundles.list(recorder.directory())).containsExactly(written.get(written.size() - 1));
        assertThat(EvidenceBundles.size(recorder.directory())).isLessThanOrEqualTo(1024 * 1024);
    }

    @Test
    void healthReasonsNameTheirTrigger()
    {
        assertThat(Trigger.ofHealthReason("event-loop lag 812 ms (bound 500 ms)")).isEqualTo(Trigger.EVENTLOOP_LAG);
        assertThat(Trigger.ofHealthReason("oldest unforwarded request waiting 5020 ms (bound 5000 ms)"))
            .isEqualTo(Trigger.FORWARD_AGE);
        assertThat(Trigger.ofHealthReason("journal append 1200 ms (bound 1000 ms)")).isEqualTo(Trigger.JOURNAL);
        assertThat(Trigger.ofHealthReason("woke after a stall of 3000 ms")).isEqualTo(Trigger.STALL);
        assertThat(Trigger.GC_PAUSE.label()).isEqualTo("gc-pause");
    }

    private final class Sources implements EvidenceSources
    {
        private final String metrics;

        Sources(final String metrics)
        {
            this.metrics = metrics;
        }

        @Override
        public int nodeId()
        {
            return 7;
        }

        @Override
        public Path dataDir()
        {
            return dataDir;
        }

        @Override
        public String metrics()
        {
            return metrics;
        }

        @Override
        public Object stages(final Duration window)
        {
            return List.of();
        }

        @Override
        public Object cluster()
        {
            return Map.of("peers", List.of());
        }

        @Override
        public String configuration()
        {
            return "RelayConfig[nodeId=7]";
        }

        @Override
        public List<JournalEvent> journalSince(final long fromEpochMs, final int max)
        {
            return List.of(new JournalEvent(5, JournalEventType.ACCEPTED, TimeUnit.MILLISECONDS.toNanos(fromEpochMs), 1, 2,
                "node=7 submit=180 bytes"));
        }

        @Override
        public void journalBundle(final String name, final String detail)
        {
            journaled.add(name + " " + detail);
        }
    }
}
