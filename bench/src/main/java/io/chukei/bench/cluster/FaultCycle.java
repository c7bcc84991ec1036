package io.chukei.bench.cluster;

import java.io.IOException;
import java.time.Duration;

/**
 * Injects one fault, measures when a healthy peer notices it, holds it, heals it and waits
 * until the cluster view shows the target ACTIVE again, so the next fault starts from a whole
 * cluster.
 */
public final class FaultCycle
{
    private static final Duration DETECTION_LIMIT = Duration.ofSeconds(30);
    private static final Duration REJOIN_LIMIT = Duration.ofSeconds(90);

    private final LocalCluster cluster;

    public FaultCycle(final LocalCluster cluster)
    {
        this.cluster = cluster;
    }

    /** A node other than {@code target}, to watch the cluster view from. */
    private ClusterNode observerFor(final int target)
    {
        return cluster.node(target == 1 ? 2 : 1);
    }

    public FaultEvent run(final Fault fault, final int target, final Duration hold) throws IOException, InterruptedException
    {
        final long started = System.nanoTime();
        fault.inject(cluster, target);
        final long injected = System.nanoTime();
        final long detectedMs = switch (fault)
        {
            case KILL, JOURNAL_DAMAGE, PAUSE -> cluster.awaitStateSeenBy(observerFor(target), target, "SUSPECT", DETECTION_LIMIT);
            case ISOLATE, DISK_FULL -> cluster.awaitStateSeenBy(observerFor(target), target, "ISOLATED", DETECTION_LIMIT);
            // The storm (its injection opens 1,741 connectors before the kill, so a detection time would mislead),
            // card management's faults, and network faults seen by one peer only (PEER_ONE_WAY), by connectors,
            // or in the target's upstream pool: not in a view.
            default -> -1;
        };
        final long remainingNanos = hold.toNanos() - (System.nanoTime() - started);
        if (remainingNanos > 0)
        {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(remainingNanos);
        }
        fault.heal(cluster, target);
        final long healed = System.nanoTime();
        if (!fault.targetsEndpoint() && fault != Fault.SLOW_UPSTREAM &&
            cluster.awaitStateSeenBy(observerFor(target), target, "ACTIVE", REJOIN_LIMIT) < 0)
        {
            throw new IllegalStateException("node " + target + " not ACTIVE again within " + REJOIN_LIMIT + " after " +
                fault + " was healed; its log:\n" + cluster.node(target).logTail());
        }
        // Detection counts from the start of injection, so it is never flattered by the signal's own delay.
        final long detectedFromStartMs = detectedMs < 0 ? -1 : detectedMs + (injected - started) / 1_000_000;
        return new FaultEvent(fault, target, started, injected, detectedFromStartMs, healed);
    }
}
