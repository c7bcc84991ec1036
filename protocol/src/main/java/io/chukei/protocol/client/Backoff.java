package io.chukei.protocol.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect back-off with full jitter: the n-th delay is uniform in
 * [0, min(max, initial * 2^n)]. The jitter spreads the reconnects of many connectors that lost
 * the same node at the same instant, so they do not arrive in lock-step.
 *
 * <p>Not thread-safe: owned by the client's event loop.
 */
final class Backoff
{
    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;
    private int failures;

    Backoff(final Duration initial, final Duration max, final RandomGenerator random)
    {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt; each call without {@link #reset()} doubles the bound. */
    long nextDelayMs()
    {
        final int shift = Math.min(failures, 30);
        final long bound = Math.min(maxMs, initialMs << shift);
        failures++;
        return random.nextLong(bound + 1);
    }

    /** A session was established: the next loss starts again from the initial bound. */
    void reset()
    {
        failures = 0;
    }
}
