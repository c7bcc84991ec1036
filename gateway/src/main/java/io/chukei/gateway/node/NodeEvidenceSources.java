package io.chukei.gateway.node;

import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.PeerProber;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.evidence.EvidenceSources;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.metrics.RelayMetrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** What a running node hands to its evidence bundles. */
final class NodeEvidenceSources implements EvidenceSources
{
    /** Values of settings whose name says secret; none today, but a key file's password must never land in a bundle. */
    private static final Pattern SECRET = Pattern.compile("(?i)((?:password|passphrase|secret|token)[a-z]*=)[^,)\\]]*");

    private final RelayConfig config;
    private final RelayMetrics metrics;
    private final Journal journal;
    private final ClusterView clusterView;
    private final Supplier<PeerProber> prober;

    NodeEvidenceSources(final RelayConfig config, final RelayMetrics metrics, final Journal journal,
        final ClusterView clusterView, final Supplier<PeerProber> prober)
    {
        this.config = config;
        this.metrics = metrics;
        this.journal = journal;
        this.clusterView = clusterView;
        this.prober = prober;
    }

    @Override
    public int nodeId()
    {
        return config.nodeId();
    }

    @Override
    public Path dataDir()
    {
        return config.dataDir();
    }

    @Override
    public String metrics()
    {
        return metrics.scrape();
    }

    @Override
    public Object stages(final Duration window)
    {
        return metrics.stages().recent(window);
    }

    @Override
    public Object cluster()
    {
        final Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("view", clusterView.view());
        final Map<Integer, Object> answers = new LinkedHashMap<>();
        final PeerProber probes = prober.get();
        for (final var peer : clusterView.peers())
        {
            answers.put(peer.id(), probes == null ? null : probes.lastReport(peer.id()));
        }
        cluster.put("peersLastAnswers", answers);
        cluster.put("probeHistory", clusterView.probeHistory().snapshot());
        return cluster;
    }

    @Override
    public String configuration()
    {
        return SECRET.matcher(config.toString()).replaceAll("$1<removed>").replace(", ", ",\n  ") + "\n";
    }

    @Override
    public List<JournalEvent> journalSince(final long fromEpochMs, final int max)
    {
        return journal.entriesSince(fromEpochMs, max);
    }

    @Override
    public void journalBundle(final String name, final String detail)
    {
        journal.appendAudit("evidence", "evidence-bundle", name + " " + detail);
    }
}
