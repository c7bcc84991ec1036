package io.chukei.gateway.node;

import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.PendingRequest;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The requests a restart found accepted and unfinished, taken over in two steps. Before the connector listener
 * opens, every one becomes known in flight from the request table alone ({@link #register}): a resend is answered
 * as pending, never accepted twice, and deadlines run. Their Submits are then read back from the journal in index
 * order and forwarded again ({@link #forwardInBackground}), after the node is ready: with 100,000 pending sealed
 * requests that read takes seconds (one AES-GCM open each), and nothing a connector may send needs it done first.
 */
final class RecoveredRequests implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveredRequests.class);
    /** Forwards handed to the event loops before waiting for them to be sent, so heartbeats and connectors get a turn. */
    private static final int FORWARDS_PER_TURN = 512;

    private final RelayCore core;
    private final Journal journal;
    private final RelayMetrics metrics;
    private final EventLoopGroup group;
    private final List<InFlightRequest> toForward = new ArrayList<>();
    private final int[] outcomes = new int[RelayCore.Recovery.values().length];
    private int total;
    private volatile boolean running = true;
    private Thread thread;

    RecoveredRequests(final RelayCore core, final Journal journal, final RelayMetrics metrics, final EventLoopGroup group)
    {
        this.core = core;
        this.journal = journal;
        this.metrics = metrics;
        this.group = group;
    }

    /** Every pending request known in flight, its deadline scheduled; those to forward again wait for their Submit. */
    RecoveredRequests register(final List<PendingRequest> pending)
    {
        total = pending.size();
        core.expectRecovered(total);
        for (final PendingRequest p : pending)
        {
            final InFlightRequest request = InFlightRequest.of(p.scope(), p.idHi(), p.idLo(), Unpooled.EMPTY_BUFFER,
                p.fingerprint(), p.deadlineEpochMs(), System.nanoTime(), null, true);
            // Its journaled attempts count: a deadline after them is outcome unknown, never "0 forward attempts".
            request.recoveredState(p.forwardAttempts(), p.outcomeUnknown());
            final RelayCore.Recovery outcome = core.registerRecovered(request, p.acceptedIndex(), group.next());
            outcomes[outcome.ordinal()]++;
            if (outcome.forwards())
            {
                toForward.add(request);
            }
        }
        // Counted as the metric says: requests that go out again, not those rejected at the restart.
        metrics.recovered(toForward.size());
        return this;
    }

    /** What was decided, counted by outcome, for the start-up log and the ready line. */
    String summary()
    {
        if (total == 0)
        {
            return "0 recovered requests";
        }
        return total + " recovered requests: " + outcomes[RelayCore.Recovery.REFORWARDED.ordinal()] +
            " re-forwarded (deadline ahead), " + outcomes[RelayCore.Recovery.REFORWARDED_OUTCOME_UNKNOWN.ordinal()] +
            " re-forwarded to learn an unknown outcome (deadline passed after a forward), " +
            outcomes[RelayCore.Recovery.REJECTED_DEADLINE_EXCEEDED.ordinal()] +
            " rejected DEADLINE_EXCEEDED (deadline passed, never forwarded), " +
            outcomes[RelayCore.Recovery.ALREADY_IN_FLIGHT.ordinal()] + " already in flight";
    }

    /**
     * Reads the Submits back in journal order on a thread of its own and forwards each request again (possible
     * duplicate); logs one line when the last went out. {@code startNanos}: the node's start, for that line.
     */
    RecoveredRequests forwardInBackground(final long startNanos)
    {
        if (toForward.isEmpty())
        {
            return this;
        }
        thread = new Thread(() -> forwardAll(startNanos), "chukei-recovery");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void forwardAll(final long startNanos)
    {
        final long readStartNs = System.nanoTime();
        final int count = toForward.size();
        int forwarded = 0;
        int unreadable = 0;
        int finishedMeanwhile = 0;
        int next = 0;
        final AcceptedView view = new AcceptedView();
        try
        {
            // In acceptance order, one jump through the queue's index each: with pending requests spread over a long
            // journal, as fast as one pass forward (bench/README.md, "Restart time").
            for (; next < count && running; next++)
            {
                final InFlightRequest request = toForward.get(next);
                if (!journal.readAccepted(request.acceptIndex(), view))
                {
                    LOG.warn("Recovered request at journal index {} has no readable ACCEPTED entry; not forwarded " +
                        "again, it ends at its deadline", request.acceptIndex());
                    request.drop();
                    unreadable++;
                    continue;
                }
                final ByteBuf submit = Unpooled.directBuffer(view.submitLength());
                submit.writeBytes(view.submit().byteArray(), 0, view.submitLength());
                if (!core.forwardRecovered(request, submit))
                {
                    finishedMeanwhile++;
                    continue;
                }
                forwarded++;
                if (forwarded % FORWARDS_PER_TURN == 0)
                {
                    awaitEventLoops();
                }
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("Reading the recovered requests' Submits back failed after {} of {}; the rest end at their " +
                "deadline", forwarded, count, ex);
        }
        // Whatever was not reached (the node closing, or the failure above): its hold goes, its deadline still ends it.
        for (; next < count; next++)
        {
            toForward.get(next).drop();
        }
        if (!running)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        LOG.info("Recovered requests: re-forwarded all {} of {} ({} finished before their Submit was read back, {} " +
            "unreadable) {} ms after the node's start; Submits read back from the journal in {} ms", forwarded, count,
            finishedMeanwhile, unreadable, TimeUnit.NANOSECONDS.toMillis(nowNs - startNanos),
            TimeUnit.NANOSECONDS.toMillis(nowNs - readStartNs));
    }

    /** Lets every event loop send what it was handed before more comes. */
    private void awaitEventLoops()
    {
        final List<Future<?>> turns = new ArrayList<>();
        for (final EventExecutor loop : group)
        {
            if (loop.isShuttingDown())
            {
                return;
            }
            turns.add(loop.submit(() -> { }));
        }
        for (final Future<?> turn : turns)
        {
            turn.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close()
    {
        running = false;
        if (thread != null)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
