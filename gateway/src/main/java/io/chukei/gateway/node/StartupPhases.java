package io.chukei.gateway.node;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * How long each step of a node's start took, for the one INFO line operators read when a start is slow: laps in
 * milliseconds, and the time from the process's start (JVM start, class loading, configuration) to the node's.
 */
final class StartupPhases
{
    private final long startNanos = System.nanoTime();
    /** Milliseconds from the process's start to this object's, or -1 when the platform does not say. */
    private final long processToStartMs = processAgeMs();
    private final StringBuilder laps = new StringBuilder();
    private long lapNanos = startNanos;

    /** Ends the phase named {@code name} now. */
    void lap(final String name)
    {
        final long now = System.nanoTime();
        laps.append(laps.length() == 0 ? "" : ", ").append(name).append(' ')
            .append(TimeUnit.NANOSECONDS.toMillis(now - lapNanos)).append(" ms");
        lapNanos = now;
    }

    long startNanos()
    {
        return startNanos;
    }

    /** The phases so far, and the total from the process's start. */
    String line()
    {
        final long nodeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return "process start to node start " + (processToStartMs < 0 ? "unknown" : processToStartMs + " ms") + "; " +
            laps + "; node start " + nodeMs + " ms" +
            (processToStartMs < 0 ? "" : ", process start to ready " + (processToStartMs + nodeMs) + " ms");
    }

    private static long processAgeMs()
    {
        return ProcessHandle.current().info().startInstant()
            .map(started -> Duration.between(started, Instant.now()).toMillis())
            .orElse(-1L);
    }
}
