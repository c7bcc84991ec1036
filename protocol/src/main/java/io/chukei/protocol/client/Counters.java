package io.chukei.protocol.client;

/**
 * The client's counters and gauges. Written only by the client's event loop (single writer, so
 * the non-atomic increments are safe), read from any thread through {@link #snapshot()}.
 */
final class Counters
{
    volatile int unresolved;
    volatile int inFlight;
    volatile int queued;
    volatile long submitted;
    volatile long resubmitted;
    volatile long lateAnswersDropped;
    volatile long deadlinesExpired;
    volatile long reconnects;
    volatile long attemptTimeouts;
    volatile long rebalances;
    volatile boolean sessionOpen;

    ConnectorStats snapshot()
    {
        return new ConnectorStats(unresolved, inFlight, queued, submitted, resubmitted, lateAnswersDropped,
            deadlinesExpired, reconnects, attemptTimeouts, rebalances, sessionOpen);
    }
}
