package io.chukei.gateway.evidence;

import java.util.Locale;

/** Why a bundle was written; the name ends the bundle's directory name and tags the metric. */
public enum Trigger
{
    /** An event loop ran its probe late beyond {@code health.maxEventLoopLagMs}. */
    EVENTLOOP_LAG,
    /** The oldest accepted request waited for forwarding beyond {@code health.maxForwardAgeMs}. */
    FORWARD_AGE,
    /** A journal append took longer than {@code health.maxJournalAppendMs}. */
    JOURNAL,
    /** The process woke from a stop or hang (SIGSTOP, a long pause): written on waking. */
    STALL,
    /** A GC pause of at least {@code evidence.gcPauseMs}. */
    GC_PAUSE,
    /** Every card-management endpoint is down. */
    UPSTREAM_DOWN,
    /** A peer went SUSPECT in this node's view (what this node saw of it). */
    PEER_SUSPECT,
    /** An operator asked ({@code chukei admin evidence}, {@code POST /evidence}). */
    OPERATOR;

    /** Lower case with dashes: {@code eventloop-lag}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The trigger a health monitor's reason names ("event-loop lag 812 ms (bound 500 ms)"). */
    public static Trigger ofHealthReason(final String reason)
    {
        if (reason.startsWith("event-loop lag"))
        {
            return EVENTLOOP_LAG;
        }
        if (reason.startsWith("oldest unforwarded"))
        {
            return FORWARD_AGE;
        }
        if (reason.startsWith("journal"))
        {
            return JOURNAL;
        }
        return STALL;
    }
}
