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
    volatile long outcomeUnknown;
    volatile boolean sessionOpen;

    /**
     * Reads {@code submitted} first: the event loop writes it last (after the gauges), so a reader
     * that sees a request counted also sees the gauges as they were once it was placed.
     */
    ConnectorStats snapshot()
    {
        final long submittedSoFar = submitted;
        return new ConnectorStats(unresolved, inFlight, queued, submittedSoFar, resubmitted, lateAnswersDropped,
            deadlinesExpired, reconnects, attemptTimeouts, rebalances, sessionOpen, outcomeUnknown);
    }
}
