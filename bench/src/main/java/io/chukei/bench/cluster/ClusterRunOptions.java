package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.DurationConverter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cluster, load and fault options the failover benchmark and the soak share (a picocli mixin). */
public final class ClusterRunOptions
{
    @Option(names = "--municipalities", defaultValue = "60", description = "Connectors, one municipality each (default: ${DEFAULT-VALUE}).")
    int municipalities;

    @Option(names = "--rate", defaultValue = "200", description = "Steady load, requests/s over all connectors (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "30s",
        description = "Each request's deadline (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--service-time-ms", defaultValue = "20",
        description = "Simulator service time, plus up to half of it at random (default: ${DEFAULT-VALUE}).")
    long serviceTimeMs;

    @Option(names = "--faults", split = ",", defaultValue = "KILL,PAUSE,ISOLATE,UPSTREAM_STALL",
        description = "Faults to inject, in this order (default: ${DEFAULT-VALUE}); also PARTITION_CONNECTORS, " +
            "PARTITION_UPSTREAM, LOSS_CONNECTORS, LOSS_UPSTREAM, PEER_ONE_WAY, SLOW_READING_ENDPOINT (network faults: " +
            "root and nft); DISK_FULL (with --journal-tmpfs), JOURNAL_DAMAGE, SLOW_UPSTREAM, STUCK_READER, RECONNECT_STORM.")
    java.util.List<Fault> faults;

    @Option(names = "--hold", converter = DurationConverter.class, defaultValue = "5s",
        description = "How long each fault lasts before it is healed (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Node settings for every node (gateway/README.md). Repeatable.")
    Map<String, String> nodeSettings = new LinkedHashMap<>();

    @Option(names = "--journal-tmpfs", paramLabel = "SIZE",
        description = "Mount a tmpfs of SIZE (e.g. 64m) on every node's journal, unmounted at the end (root only); " +
            "needed by the DISK_FULL fault.")
    String journalTmpfs;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the cluster keeps its files (default: a new temporary directory, kept).")
    Path data;

    /** Each node's heap (-Xmx). */
    String nodeHeap = "384m";

    /** Three nodes, two simulator endpoints, the service time and node settings given. */
    LocalCluster.Settings settings()
    {
        return new LocalCluster.Settings(3, 2, serviceTimeMs, serviceTimeMs / 2, 64, Map.of(), nodeHeap, journalTmpfs)
            .withNodeSettings(nodeSettings);
    }

    /** {@code --data}, or a new temporary directory named after the command. */
    Path directory(final String command) throws IOException
    {
        return data != null ? data : Files.createTempDirectory("chukei-" + command);
    }

    /** Starts the cluster and the load. */
    FailoverRun start(final Path directory, final java.io.PrintStream progress) throws IOException, InterruptedException
    {
        return start(directory, null, null, progress);
    }

    /**
     * Starts the cluster, its nodes in {@code lab} (null: on loopback), and the load, every connector recording its
     * requests in an outbox in {@code outboxDir} (null: none).
     */
    FailoverRun start(final Path directory, final io.chukei.bench.netlab.NetworkLab lab, final Path outboxDir,
        final java.io.PrintStream progress) throws IOException, InterruptedException
    {
        return FailoverRun.start(directory, settings(), lab, municipalities, rate, timeout, outboxDir, progress);
    }
}
