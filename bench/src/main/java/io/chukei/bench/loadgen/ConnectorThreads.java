package io.chukei.bench.loadgen;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads for connectors that a cluster harness plays on the same host as the nodes under test. Real connectors run
 * on machines of their own; here their TLS and framing share the nodes' cores, and 1,741 of them reconnecting at once
 * took ~40 % of a two-core host, which stretched a node's 17 MB young collection to a 306 ms pause (bench/README.md,
 * "Reconnect storm"). {@link #background()} threads lower their own CPU priority (nice 10) as they start, so the
 * nodes get the cores first and still every cycle the connectors' work leaves; they do everything else the same.
 * Linux schedules threads, not processes, by nice value, so each thread sets its own (its id from
 * {@code /proc/thread-self}); where that fails the thread runs at the normal priority and one line says so.
 */
public final class ConnectorThreads
{
    /** The nice value of background connector threads. */
    public static final int NICE = 10;

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ConnectorThreads()
    {
    }

    /** Threads at the normal priority, as a load generator measuring a target wants. */
    public static ThreadFactory normal(final String name)
    {
        return new DefaultThreadFactory(name);
    }

    /** Threads that lower their own priority to nice {@value #NICE} before they run anything. */
    public static ThreadFactory background(final String name)
    {
        final ThreadFactory named = new DefaultThreadFactory(name);
        return task -> named.newThread(() ->
        {
            lowerOwnPriority();
            task.run();
        });
    }

    private static void lowerOwnPriority()
    {
        try
        {
            final String threadId = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            final Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", threadId)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0)
            {
                warn("renice exited with " + (renice.isAlive() ? "no answer in 10 s" : renice.exitValue()));
            }
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            warn(ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void warn(final String why)
    {
        if (WARNED.compareAndSet(false, true))
        {
            System.err.println("connector threads: could not lower their CPU priority (" + why + "); they compete with " +
                "the nodes at the normal priority");
        }
    }
}
