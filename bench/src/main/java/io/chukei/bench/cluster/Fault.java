package io.chukei.bench.cluster;

import io.chukei.gateway.cli.ChukeiCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/**
 * The single faults the cluster promises to survive, each with the way it ends. The target is a
 * node id (1-based), for {@link #UPSTREAM_STALL} a simulator endpoint index (0-based), and nothing for
 * {@link #SLOW_UPSTREAM} (all of card management). The network faults (from {@link #PARTITION_CONNECTORS} on)
 * need the nodes in a network lab.
 */
public enum Fault
{
    /** kill -9 of a node; healed by starting it again on its journal. */
    KILL
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws InterruptedException
        {
            cluster.node(target).kill();
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            cluster.node(target).start();
        }
    },
    /**
     * kill -9 of a node, then its journal damaged as a crash of the machine leaves it ({@link JournalDamage}: the last
     * cycle file cut short, a kept entry changed); healed by starting it again on that journal, which it repairs.
     */
    JOURNAL_DAMAGE
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            final ClusterNode node = cluster.node(target);
            node.kill();
            System.err.printf("journal of node %d damaged: %s%n", target, JournalDamage.cutAndChange(node.journalDir()));
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            cluster.node(target).start();
        }
    },
    /** kill -STOP: the node hangs with its sockets open, like the 2016 relay; healed by kill -CONT. */
    PAUSE
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            cluster.node(target).pause();
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            cluster.node(target).resume();
        }
    },
    /** {@code chukei admin isolate NODE}; healed by {@code chukei admin release NODE}. */
    ISOLATE
    {
        @Override
        public void inject(final LocalCluster cluster, final int target)
        {
            admin(cluster, "isolate", target, "--reason", "fault test");
        }

        @Override
        public void heal(final LocalCluster cluster, final int target)
        {
            admin(cluster, "release", target);
        }
    },
    /**
     * The file system under the node's journal fills up (a filler file on the tmpfs the cluster mounted there, see
     * {@link LocalCluster.Settings#withJournalTmpfs}); healed by deleting the filler.
     */
    DISK_FULL
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException
        {
            cluster.journalTmpfs(target).fill();
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException
        {
            cluster.journalTmpfs(target).drain();
        }
    },
    /**
     * Card management answers every Forward 300 ms later, on every endpoint: every node sees the same slowness, none
     * may isolate itself for it (issue 18, item 5). The target is ignored; healed by switching the delay off.
     */
    SLOW_UPSTREAM
    {
        @Override
        public void inject(final LocalCluster cluster, final int target)
        {
            cluster.simulator().faults().slowResponses(SLOW_UPSTREAM_MS, 1.0);
        }

        @Override
        public void heal(final LocalCluster cluster, final int target)
        {
            cluster.simulator().faults().slowResponses(0, 0.0);
        }
    },
    /**
     * A connector written by hand connects to node N, stops reading its socket and keeps sending for at least 60 s
     * ({@link StuckReaderFault}); healed by reading again, then sending every id without an answer again on a new
     * session. Its requests join the consistency check.
     */
    STUCK_READER
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            StuckReaderFault.inject(cluster, target);
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            StuckReaderFault.heal(cluster, target);
        }
    },
    /**
     * 1,741 connectors of their own in session with node N only, N killed -9 ({@link ReconnectStormFault}); healed by
     * starting N again: all of them reconnect at once and must be served within 60 s of ready.
     */
    RECONNECT_STORM
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws InterruptedException
        {
            ReconnectStormFault.inject(cluster, target);
        }

        @Override
        public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            ReconnectStormFault.heal(cluster, target);
        }
    },
    /** One card-management endpoint stops answering (its connections stay open); healed by ending the stall. */
    UPSTREAM_STALL
    {
        @Override
        public void inject(final LocalCluster cluster, final int target)
        {
            cluster.simulator().faults(target).stall(Duration.ofHours(1));
        }

        @Override
        public void heal(final LocalCluster cluster, final int target)
        {
            cluster.simulator().faults(target).endStall();
        }
    },

    /** Node N's connector port drops every packet (its connectors' links cut, the node itself fine); healed by removing the rule. */
    PARTITION_CONNECTORS
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            lab(cluster).partitionLocalPort(target, cluster.node(target).connector().getPort());
        }
    },
    /** Node N cannot reach card-management endpoint 0 (both ways); the other endpoints are fine. */
    PARTITION_UPSTREAM
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            final java.net.InetSocketAddress endpoint = cluster.simulator().upstreamAddresses().get(0);
            lab(cluster).partitionRemote(target, endpoint.getHostString(), endpoint.getPort());
        }
    },
    /** 30 % of the packets on node N's connector port dropped at random, each way. */
    LOSS_CONNECTORS
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            lab(cluster).lossOnLocalPort(target, cluster.node(target).connector().getPort(), HEAVY_LOSS_PERCENT);
        }
    },
    /** 30 % of the packets between node N and every card-management endpoint dropped at random, each way. */
    LOSS_UPSTREAM
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            for (final java.net.InetSocketAddress endpoint : cluster.simulator().upstreamAddresses())
            {
                lab(cluster).lossToRemote(target, endpoint.getHostString(), endpoint.getPort(), HEAVY_LOSS_PERCENT);
            }
        }
    },
    /**
     * One way between two nodes: the next node (N mod nodes + 1) cannot open connections to node N's admin
     * port, so its probes of N fail, while N's probes of it succeed: their views of each other disagree.
     */
    PEER_ONE_WAY
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            final ClusterNode other = cluster.node(target % cluster.nodes().size() + 1);
            lab(cluster).blockInbound(target, other.admin().getHostString(), cluster.node(target).admin().getPort());
        }
    },
    /** Node N's traffic to card-management endpoint 0 leaves at 1 KB/s: an endpoint that accepts but reads slowly. */
    SLOW_READING_ENDPOINT
    {
        @Override
        public void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
        {
            final java.net.InetSocketAddress endpoint = cluster.simulator().upstreamAddresses().get(0);
            lab(cluster).throttleTo(target, endpoint.getHostString(), endpoint.getPort(), SLOW_BYTES_PER_SECOND);
        }
    };

    /** The extra service time of {@link #SLOW_UPSTREAM}: the drill's figure. */
    public static final long SLOW_UPSTREAM_MS = 300;
    /** The loss rate of the soak's loss faults (the system tests also run 5 %). */
    public static final int HEAVY_LOSS_PERCENT = 30;
    /**
     * Below what a node sends one endpoint even at the system test's light load (~10 Forwards/s, some 2 KB/s with TLS
     * and TCP overhead): at 4,000 B/s that link kept up and nothing happened.
     */
    public static final int SLOW_BYTES_PER_SECOND = 1_000;

    public abstract void inject(LocalCluster cluster, int target) throws IOException, InterruptedException;

    /** Network faults are healed by removing the target's rules and shaping. */
    public void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
    {
        lab(cluster).heal(target);
    }

    /** Whether the fault needs the nodes in a {@link io.chukei.bench.netlab.NetworkLab}. */
    public boolean needsNetworkLab()
    {
        return ordinal() > UPSTREAM_STALL.ordinal();
    }

    /** The target as the output names it: "node 2", "endpoint 0", or "card management" (all of it). */
    public String targetName(final int target)
    {
        return this == SLOW_UPSTREAM ? "card management" : (targetsEndpoint() ? "endpoint " : "node ") + target;
    }

    /** Whether the target is a simulator endpoint (0-based) rather than a node (1-based). */
    public boolean targetsEndpoint()
    {
        return this == UPSTREAM_STALL;
    }

    private static io.chukei.bench.netlab.NetworkLab lab(final LocalCluster cluster)
    {
        if (cluster.lab() == null)
        {
            throw new IllegalStateException("a network fault needs the cluster's nodes in a NetworkLab (LocalCluster.start with a lab)");
        }
        return cluster.lab();
    }


    /** Runs the real CLI, as an operator would, against the cluster list in node 1's configuration. */
    private static void admin(final LocalCluster cluster, final String action, final int target, final String... more)
    {
        final StringWriter output = new StringWriter();
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(output, true));
        command.setErr(new PrintWriter(output, true));
        final String[] arguments = new String[4 + more.length];
        arguments[0] = "admin";
        arguments[1] = action;
        arguments[2] = Integer.toString(target);
        System.arraycopy(more, 0, arguments, 3, more.length);
        arguments[3 + more.length] = "--config=" + cluster.node(1).config();
        final int exit = command.execute(arguments);
        if (exit != 0)
        {
            throw new IllegalStateException("chukei admin " + action + " " + target + " exited " + exit + ":\n" + output);
        }
    }
}
