package io.chukei.gateway.replay;

import io.chukei.gateway.cardsim.UpstreamTestClient;
import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.CompletedView;
import io.chukei.gateway.journal.EntryRef;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.protocol.codec.WireNames;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Re-sends the requests a node accepted in a window of its journal, as their first Forward, to a card-management
 * endpoint (a fresh simulator, or a test system), with their original spacing or as fast as possible, and compares:
 * each request's outcome with the one the journal recorded, and the upstream round trip with the node's own
 * per-stage histograms of the window. The Submit bytes are the journaled ones, read through the journal's reader.
 */
public final class JournalReplay
{
    /** Differences listed in a report; all are counted. */
    public static final int DIFFERENCES_LISTED = 1000;

    /**
     * @param speed        1 = the original spacing, 10 = ten times faster, 0 = as fast as possible
     * @param answerWithin how long the last answer may take after the last send
     */
    public record Settings(long fromEpochMs, long toEpochMs, double speed, Duration answerWithin)
    {
    }

    /** One request whose replayed outcome is not the recorded one. */
    public record Difference(UUID requestId, String operation, String original, String replayed)
    {
    }

    /**
     * @param accepted        ACCEPTED entries in the window, all replayed
     * @param same            replayed outcome equal to the recorded one (status and upstream code)
     * @param differing       the first {@link #DIFFERENCES_LISTED} differences
     * @param differCount     every difference
     * @param withoutOriginal accepted in the window but no recorded final outcome in the journal (pending, rejected
     *                        after acceptance, or answered elsewhere): replayed, not compared
     * @param unanswered      replayed but no Outcome within the settings' time
     * @param replayNanos     Forward → Outcome of the replay
     * @param unreadable      ACCEPTED entries in the window that could not be read (sealed with a key not given, or
     *                        damaged): not replayed, and a replay with any is no proof of anything
     */
    public record Report(int accepted, int same, List<Difference> differing, int differCount, int withoutOriginal,
        int unanswered, Histogram replayNanos, int unreadable)
    {
    }

    private final Journal journal;

    public JournalReplay(final Journal journal)
    {
        this.journal = journal;
    }

    /** Runs the replay; {@code progress} hears the number sent so far every 1,000 requests. */
    public Report run(final Settings settings, final UpstreamTestClient target, final IntConsumer progress)
        throws InterruptedException
    {
        final long fromNs = TimeUnit.MILLISECONDS.toNanos(settings.fromEpochMs());
        final long toNs = TimeUnit.MILLISECONDS.toNanos(settings.toEpochMs());
        final List<EntryRef> accepted = journal.entryRefs(fromNs, toNs, EnumSet.of(JournalEventType.ACCEPTED));
        final Map<UUID, String> recorded = recordedOutcomes(fromNs);

        final List<Sent> sent = new ArrayList<>(accepted.size());
        int unreadable = 0;
        final AcceptedView view = new AcceptedView();
        final SubmitDecoder submit = new SubmitDecoder();
        final long startNs = System.nanoTime();
        final long firstTs = accepted.isEmpty() ? 0 : accepted.get(0).timestampNs();
        for (final EntryRef ref : accepted)
        {
            if (!readAccepted(ref, view))
            {
                unreadable++;
                continue;
            }
            if (settings.speed() > 0)
            {
                final long dueNs = startNs + (long)((ref.timestampNs() - firstTs) / settings.speed());
                for (long wait = dueNs - System.nanoTime(); wait > 0; wait = dueNs - System.nanoTime())
                {
                    LockSupport.parkNanos(wait);
                }
            }
            final byte[] bytes = new byte[view.submitLength()];
            view.submit().getBytes(0, bytes);
            submit.wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new MessageHeaderDecoder());
            final UUID id = new UUID(view.idHi(), view.idLo());
            final byte[] municipality = new byte[6];
            view.municipality().getBytes(0, municipality);
            final String operation = submit.operation().name();
            final long sendNs = System.nanoTime();
            final CompletableFuture<UpstreamTestClient.Outcome> outcome = target.forward(new UpstreamTestClient.ForwardSpec(
                id, view.nodeId(), new String(municipality, StandardCharsets.US_ASCII), submit.operation(), submit.priority(),
                false, 1, System.currentTimeMillis() + settings.answerWithin().toMillis(), bytes));
            sent.add(new Sent(id, operation, sendNs, outcome));
            if (sent.size() % 1000 == 0)
            {
                progress.accept(sent.size());
            }
        }

        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final List<Difference> differing = new ArrayList<>();
        int same = 0;
        int differCount = 0;
        int withoutOriginal = 0;
        int unanswered = 0;
        final long answerDeadline = System.nanoTime() + settings.answerWithin().toNanos();
        for (final Sent each : sent)
        {
            final UpstreamTestClient.Outcome outcome;
            try
            {
                outcome = each.outcome().get(Math.max(1, answerDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                unanswered++;
                continue;
            }
            latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, outcome.receivedNanos() - each.sentNs())));
            final String original = recorded.get(each.id());
            if (original == null)
            {
                withoutOriginal++;
                continue;
            }
            final String replayed = describe(outcome.status().name(), outcome.upstreamCode());
            if (original.equals(replayed))
            {
                same++;
            }
            else
            {
                differCount++;
                if (differing.size() < DIFFERENCES_LISTED)
                {
                    differing.add(new Difference(each.id(), each.operation(), original, replayed));
                }
            }
        }
        return new Report(sent.size(), same, differing, differCount, withoutOriginal, unanswered, latency, unreadable);
    }

    /** False when the entry cannot be read: sealed with a key this journal was not opened with, or damaged. */
    private boolean readAccepted(final EntryRef ref, final AcceptedView view)
    {
        try
        {
            return journal.readAccepted(ref.index(), view);
        }
        catch (final RuntimeException unreadable)
        {
            return false;
        }
    }

    /** The final outcome recorded for each request from {@code fromNs} to the journal's end (a request may end after the window). */
    private Map<UUID, String> recordedOutcomes(final long fromNs)
    {
        final Map<UUID, String> outcomes = new HashMap<>();
        final CompletedView completed = new CompletedView();
        for (final EntryRef ref : journal.entryRefs(fromNs, Long.MAX_VALUE,
            EnumSet.of(JournalEventType.COMPLETED, JournalEventType.REJECTED)))
        {
            final UUID id = new UUID(ref.idHi(), ref.idLo());
            if (ref.type() == JournalEventType.REJECTED)
            {
                outcomes.putIfAbsent(id, "REJECTED " + WireNames.errorCode(ref.errorCode()));
            }
            else if (journal.readCompleted(ref.index(), completed))
            {
                outcomes.put(id, describe(WireNames.outcomeStatus(completed.status() & 0xFF), completed.upstreamCode()));
            }
        }
        return outcomes;
    }

    private static String describe(final String status, final int upstreamCode)
    {
        return status + " " + upstreamCode;
    }

    private record Sent(UUID id, String operation, long sentNs, CompletableFuture<UpstreamTestClient.Outcome> outcome)
    {
    }
}
