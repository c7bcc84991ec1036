package io.chukei.bench.cluster;

import io.chukei.gateway.cli.ChukeiCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/**
 * The single faults the cluster promises to survive, each with the way it ends. The target is a
 * node id (1-based), or for {@link #UPSTREAM_STALL} a simulator endpoint index (0-based).
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
