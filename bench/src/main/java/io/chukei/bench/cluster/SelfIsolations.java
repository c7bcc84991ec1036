package io.chukei.bench.cluster;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The self-isolations in the nodes' logs over a run, each explained by an injected fault or counted as false (issue
 * 18: no false isolation of a healthy node). Only a node that was stopped ({@link Fault#PAUSE}: it wakes after a
 * stall) or whose journal disk was full ({@link Fault#DISK_FULL}) has reason to isolate itself, during its fault or
 * within {@link #AFTER_HEAL} of its healing; any other self-isolation is false, whatever else was going on (slow card
 * management, a partition, a storm: a healthy node must stay in service through them).
 */
final class SelfIsolations
{
    /** A paused node finds its stall at its first health check after SIGCONT; a full disk at its next write. */
    static final Duration AFTER_HEAL = Duration.ofSeconds(10);
    private static final Set<Fault> CALL_FOR_ONE = Set.of(Fault.PAUSE, Fault.DISK_FULL);
    /** The node's own transition line (a peer's view of it reads "Node 2 sees peer 3: ..."). */
    private static final Pattern LINE = Pattern.compile("^(\\S+Z) .*\\bNode (\\d+): \\S+ -> ISOLATED self-isolated: (.*)$");

    private SelfIsolations()
    {
    }

    /** One self-isolation: when, which node, why, and the fault that explains it (null: a false isolation). */
    record Isolation(Instant at, int node, String reason, String explainedBy, String during)
    {
        boolean isFalse()
        {
            return explainedBy == null;
        }

        @Override
        public String toString()
        {
            return at + " node " + node + ": " + reason + (explainedBy != null ? "  [" + explainedBy + "]" :
                "  [FALSE" + (during == null ? "" : "; during " + during) + "]");
        }
    }

    /** Every self-isolation in the cluster's node logs, classified against the run's faults. */
    static List<Isolation> read(final LocalCluster cluster, final List<FaultEvent> events, final RunClock clock)
        throws IOException
    {
        final List<String> lines = new ArrayList<>();
        for (final ClusterNode node : cluster.nodes())
        {
            lines.addAll(node.logLinesContaining(" self-isolated: "));
        }
        return classify(lines, events, clock);
    }

    /** The self-isolations among {@code lines} (log lines of any node), classified against {@code events}. */
    static List<Isolation> classify(final List<String> lines, final List<FaultEvent> events, final RunClock clock)
    {
        final List<Isolation> isolations = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher matcher = LINE.matcher(line);
            if (!matcher.matches())
            {
                continue;
            }
            final Instant at = Instant.parse(matcher.group(1));
            final int node = Integer.parseInt(matcher.group(2));
            FaultEvent explaining = null;
            FaultEvent during = null;
            for (final FaultEvent event : events)
            {
                final boolean inWindow = !at.isBefore(clock.instant(event.startedNanos())) &&
                    !at.isAfter(clock.instant(event.healedNanos()).plus(AFTER_HEAL));
                if (!inWindow)
                {
                    continue;
                }
                if (CALL_FOR_ONE.contains(event.fault()) && event.target() == node)
                {
                    explaining = event;
                }
                during = event;
            }
            isolations.add(new Isolation(at, node, matcher.group(3), explaining == null ? null : name(explaining),
                during == null ? null : name(during)));
        }
        isolations.sort(java.util.Comparator.comparing(Isolation::at));
        return isolations;
    }

    private static String name(final FaultEvent event)
    {
        return event.fault() + " of " + event.fault().targetName(event.target());
    }

    /** Turns a run's System.nanoTime instants into wall-clock time (the logs' timestamps), from one reading of both. */
    record RunClock(long nanos, Instant wall)
    {
        static RunClock now()
        {
            return new RunClock(System.nanoTime(), Instant.now());
        }

        Instant instant(final long atNanos)
        {
            return wall.plusNanos(atNanos - nanos);
        }
    }
}
