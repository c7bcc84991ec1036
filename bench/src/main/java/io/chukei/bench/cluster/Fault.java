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
 * {@link #SLOW_UPSTREAM} (all of card management).
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
    };

    /** The extra service time of {@link #SLOW_UPSTREAM}: the drill's figure. */
    public static final long SLOW_UPSTREAM_MS = 300;

    public abstract void inject(LocalCluster cluster, int target) throws IOException, InterruptedException;

    public abstract void heal(LocalCluster cluster, int target) throws IOException, InterruptedException;

    /** Runs the real CLI, as an operator would, against the cluster list in node 1's configuration. */
    private static void admin(final LocalCluster cluster, final String action, final int target, final String... more)
    {
        final StringWriter output = new StringWriter();
        final CommandLine command = new CommandLine(new ChukeiCommand());
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
