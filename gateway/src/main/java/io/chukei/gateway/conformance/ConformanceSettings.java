package io.chukei.gateway.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The script's timings. The defaults are what protocol/README.md (Conformance) documents; tests shorten only
 * {@link #runTimeout}.
 *
 * @param heartbeatIntervalMs announced in Welcome; the connector's dead-peer bound is 4 of these
 * @param resendWaitMs how long the relay waits for a resend it expects (after the attempt timeout, a move, a retry-after)
 * @param overloadedRetryAfterMs OVERLOADED's retryAfterMs
 * @param rateLimitedRetryAfterMs RATE_LIMITED's retryAfterMs
 * @param outcomeUnknownQuietMs after OUTCOME_UNKNOWN, how long the session stays up before the relay ends it
 * @param settleMs after the last verdict, how long late resends of finished requests are still watched for
 * @param runTimeout the run, from the workload's first request: scenarios not reached by then fail as not run
 */
public record ConformanceSettings(
    long heartbeatIntervalMs,
    long resendWaitMs,
    long overloadedRetryAfterMs,
    long rateLimitedRetryAfterMs,
    long outcomeUnknownQuietMs,
    long settleMs,
    Duration runTimeout)
{
    /** The connector side's missed-heartbeat count the spec asks for (§3). */
    public static final int MISSED_HEARTBEATS = 3;
    /** Scheduling slack on top of (missed + 1) intervals: a connector checks once an interval. */
    public static final long DETECTION_SLACK_MS = 250;

    public ConformanceSettings
    {
        Objects.requireNonNull(runTimeout, "runTimeout");
        if (heartbeatIntervalMs < 50 || heartbeatIntervalMs > 60_000)
        {
            throw new IllegalArgumentException("heartbeatIntervalMs: " + heartbeatIntervalMs + " (expected: 50..60000)");
        }
    }

    public static ConformanceSettings defaults()
    {
        return new ConformanceSettings(400, 10_000, 1_000, 500, 1_000, 1_000, Duration.ofMinutes(5));
    }

    public ConformanceSettings withHeartbeatIntervalMs(final long intervalMs)
    {
        return new ConformanceSettings(intervalMs, resendWaitMs, overloadedRetryAfterMs, rateLimitedRetryAfterMs,
            outcomeUnknownQuietMs, settleMs, runTimeout);
    }

    public ConformanceSettings withRunTimeout(final Duration timeout)
    {
        return new ConformanceSettings(heartbeatIntervalMs, resendWaitMs, overloadedRetryAfterMs, rateLimitedRetryAfterMs,
            outcomeUnknownQuietMs, settleMs, timeout);
    }

    /** A connector must have given up a silent node by then: (missed heartbeats + 1) intervals, plus slack. */
    public long deadPeerBoundMs()
    {
        return (MISSED_HEARTBEATS + 1) * heartbeatIntervalMs + DETECTION_SLACK_MS;
    }

    /** A real relay closes a connection silent for this long (HEARTBEAT_TIMEOUT). */
    public long relaySilenceLimitMs()
    {
        return MISSED_HEARTBEATS * heartbeatIntervalMs;
    }
}
