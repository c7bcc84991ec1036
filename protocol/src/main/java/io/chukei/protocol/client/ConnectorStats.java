package io.chukei.protocol.client;

/**
 * A snapshot of a client's counters. Each value is read on its own, so under load the values
 * may come from slightly different instants.
 *
 * @param unresolved requests held by the SDK without a terminal answer (sent or waiting)
 * @param inFlight requests sent on the current session and not yet answered by it
 * @param queued requests waiting to be sent (no session, or {@code maxInFlight} reached)
 * @param submitted requests handed to {@code submit} since the start
 * @param resubmitted sends with the possible-duplicate flag (after a reconnect)
 * @param lateAnswersDropped terminal answers for request ids already resolved, dropped
 * @param deadlinesExpired requests resolved locally with {@code DEADLINE_EXCEEDED}
 * @param reconnects connection attempts after the first
 * @param attemptTimeouts sessions left because a request got no answer within the per-attempt timeout
 * @param rebalances idle sessions left to go back to the home node
 * @param sessionOpen whether a session (Welcome received) is open now
 */
public record ConnectorStats(
    int unresolved,
    int inFlight,
    int queued,
    long submitted,
    long resubmitted,
    long lateAnswersDropped,
    long deadlinesExpired,
    long reconnects,
    long attemptTimeouts,
    long rebalances,
    boolean sessionOpen,
    long outcomeUnknown)
{
}
