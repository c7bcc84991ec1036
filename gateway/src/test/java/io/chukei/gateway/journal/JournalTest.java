package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.SCOPE;

import static io.chukei.gateway.journal.JournalFixtures.EMPTY;
import static io.chukei.gateway.journal.JournalFixtures.ascii;
import static io.chukei.gateway.journal.JournalFixtures.MUNICIPALITY;
import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.complete;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static io.chukei.gateway.journal.JournalFixtures.submitBytes;
import static io.chukei.gateway.journal.JournalFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RequestState;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest
{
    @TempDir
    Path directory;

    private final SetTimeProvider clock = new SetTimeProvider(java.time.Instant.parse("2026-06-12T09:00:00Z"));
    private Journal journal;

    @AfterEach
    void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }

    @Test
    void acceptedEntryReadsBackWithTheSubmitBytesExactly()
    {
        journal = open();
        final UnsafeBuffer submit = submitBytes(5, 317);
        final long index = journal.appendAccepted(1, 2, 7, 42L, MUNICIPALITY, 0, (byte)2, 1_800_000_000_000L, 0xABCDL,
            submit, 0, submit.capacity());

        final AcceptedView view = new AcceptedView();
        assertThat(journal.readAccepted(index, view)).isTrue();
        assertThat(view.idHi()).isEqualTo(1);
        assertThat(view.idLo()).isEqualTo(2);
        assertThat(view.nodeId()).isEqualTo(7);
        assertThat(view.connectionId()).isEqualTo(42L);
        assertThat(view.municipality().getStringWithoutLengthAscii(0, 6)).isEqualTo("131016");
        assertThat(view.priority()).isEqualTo((byte)2);
        assertThat(view.deadlineEpochMs()).isEqualTo(1_800_000_000_000L);
        assertThat(view.fingerprint()).isEqualTo(0xABCDL);
        assertThat(view.timestampNs()).isEqualTo(clock.currentTimeNanos());
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(submit, submit.capacity()));
    }

    /**
     * Entries are composed (and sealed) in each thread's scratch before the queue's write lock is taken: two threads
     * appending at once must each get their own bytes back under their own index, every index once, in each thread's
     * order.
     */
    @Test
    void twoThreadsAppendingAtOnceEachReadTheirOwnEntriesBack() throws Exception
    {
        journal = open();
        final int perThread = 2_000;
        final long[][] indexes = new long[2][perThread];
        final CyclicBarrier start = new CyclicBarrier(2);
        final List<Thread> writers = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < 2; t++)
        {
            final int writer = t;
            writers.add(new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int i = 0; i < perThread; i++)
                    {
                        final UnsafeBuffer submit = submitBytes(writer * 1_000_003L + i, 200 + i % 150);
                        indexes[writer][i] = journal.appendAccepted(writer, i, 7, writer, MUNICIPALITY, 0, (byte)1,
                            1_800_000_000_000L, i, submit, 0, submit.capacity());
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "writer-" + t));
        }
        writers.forEach(Thread::start);
        for (final Thread writer : writers)
        {
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).as("%s finished within 60 s", writer.getName()).isFalse();
        }
        assertThat(failure.get()).isNull();

        final Set<Long> seen = new HashSet<>();
        final AcceptedView view = new AcceptedView();
        for (int writer = 0; writer < 2; writer++)
        {
            for (int i = 0; i < perThread; i++)
            {
                final long index = indexes[writer][i];
                assertThat(index).as("writer %d, entry %d", writer, i).isNotEqualTo(Journal.APPEND_FAILED);
                assertThat(seen.add(index)).as("index %d given once", index).isTrue();
                if (i > 0)
                {
                    assertThat(index).isGreaterThan(indexes[writer][i - 1]);
                }
                assertThat(journal.readAccepted(index, view)).isTrue();
                assertThat(view.idHi()).isEqualTo(writer);
                assertThat(view.idLo()).isEqualTo(i);
                final UnsafeBuffer expected = submitBytes(writer * 1_000_003L + i, 200 + i % 150);
                assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(expected, expected.capacity()));
            }
        }
    }

    /**
     * An entry's time is taken before the write lock, so an entry can follow one newer than itself: reading back from
     * the end by time must not stop at it while a newer one lies beyond.
     */
    @Test
    void entriesSinceLooksPastAnOlderEntryWrittenAfterANewerOne()
    {
        final long startNs = clock.currentTimeNanos();
        final AtomicLong nowNs = new AtomicLong(startNs);
        journal = Journal.open(configure(config(directory).timeProvider(new TimeProvider()
        {
            @Override
            public long currentTimeMillis()
            {
                return nowNs.get() / 1_000_000;
            }

            @Override
            public long currentTimeNanos()
            {
                return nowNs.get();
            }
        })).build());
        accept(journal, 1, 1);
        // Composed 300 ms before the first, written after it (its thread was preempted before taking the lock).
        nowNs.addAndGet(-TimeUnit.MILLISECONDS.toNanos(300));
        accept(journal, 1, 2);

        final List<JournalEvent> since = journal.entriesSince(startNs / 1_000_000 - 100, 10);
        assertThat(since).extracting(JournalEvent::idLo).containsExactly(1L);
    }

    @Test
    void acceptedEntryKeepsSubmitBytesFromAnOffsetInAnOffHeapBuffer()
    {
        journal = open();
        final UnsafeBuffer offHeap = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(400));
        offHeap.putBytes(0, submitBytes(9, 400), 0, 400);
        final long index = journal.appendAccepted(1, 3, 7, 1L, MUNICIPALITY, 0, (byte)1, 0L, 0L, offHeap, 13, 301);

        final AcceptedView view = new AcceptedView();
        journal.readAccepted(index, view);
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(slice(offHeap, 13, 301));
    }

    @Test
    void completedEntryReadsBackWithDetailAndPayload()
    {
        journal = open();
        final DirectBuffer detail = utf8("適用しました");
        final DirectBuffer payload = utf8("status=ACTIVE");
        final long index = journal.appendCompleted(SCOPE, 1, 2, (byte)1, 200, true, detail, 0, detail.capacity(), payload, 0,
            payload.capacity());

        final CompletedView view = new CompletedView();
        assertThat(journal.readCompleted(index, view)).isTrue();
        assertThat(view.status()).isEqualTo((byte)1);
        assertThat(view.upstreamCode()).isEqualTo(200);
        assertThat(view.duplicate()).isTrue();
        assertThat(view.detail().getStringWithoutLengthUtf8(0, view.detailLength())).isEqualTo("適用しました");
        assertThat(view.payload().getStringWithoutLengthUtf8(0, view.payloadLength())).isEqualTo("status=ACTIVE");
    }

    @Test
    void readCompletedRefusesAnEntryOfAnotherType()
    {
        journal = open();
        final long index = accept(journal, 1, 2);

        assertThat(journal.readCompleted(index, new CompletedView())).isFalse();
    }

    @Test
    void traceTellsOneRequestsStoryInOrderAndNoOtherRequests()
    {
        journal = open();
        accept(journal, 1, 1);
        accept(journal, 9, 9);
        journal.appendForwarded(SCOPE, 1, 1, 3, 1, false);
        journal.appendForwarded(SCOPE, 1, 1, 4, 2, true);
        final DirectBuffer detail = utf8("refused for 123456789012");
        journal.appendCompleted(SCOPE, 1, 1, (byte)2, 17, false, detail, 0, detail.capacity(), EMPTY, 0, 0);
        journal.appendAudit("operator", "isolate", "node 2");

        final List<JournalEvent> trace = journal.trace(1, 1);

        assertThat(trace).extracting(JournalEvent::type).containsExactly(JournalEventType.ACCEPTED,
            JournalEventType.FORWARDED, JournalEventType.FORWARDED, JournalEventType.COMPLETED);
        assertThat(trace.get(2).summary()).isEqualTo("municipality=131016 endpoint=4 attempt=2 possibleDuplicate=true");
        assertThat(trace.get(3).summary()).contains("status=REFUSED").contains("************")
            .doesNotContain("123456789012");
        assertThat(trace.get(0).summary()).contains("municipality=131016").contains("submitBytes=300");
    }

    /** A priority only a newer version defines (journaled before a roll-back) is named, not a reason to stop a trace. */
    @Test
    void traceNamesAPriorityThisVersionDoesNotDefine()
    {
        journal = open();
        final DirectBuffer submit = submitBytes(1, 300);
        journal.appendAccepted(1, 1, 7, 42L, MUNICIPALITY, 0, (byte)77, 1_800_000_000_000L, 1L, submit, 0,
            submit.capacity());
        accept(journal, 2, 2);

        assertThat(journal.trace(1, 1)).singleElement()
            .satisfies(event -> assertThat(event.summary()).contains("priority=undefined(77)"));
        assertThat(journal.trace(2, 2)).singleElement()
            .satisfies(event -> assertThat(event.summary()).contains("priority=INTERACTIVE"));
    }

    @Test
    void oneIdInTwoMunicipalitiesIsTwoRequestsAfterRecovery()
    {
        journal = open();
        final DirectBuffer other = ascii("011002");
        final long mine = journal.appendAccepted(5, 6, 7, 42L, MUNICIPALITY, 0, (byte)1, 1_800_000_000_000L, 1L, EMPTY, 0, 0);
        final long theirs = journal.appendAccepted(5, 6, 7, 43L, other, 0, (byte)1, 1_800_000_000_000L, 2L, EMPTY, 0, 0);
        journal.appendForwarded(11002, 5, 6, 1, 1, false);
        journal.appendCompleted(11002, 5, 6, (byte)0, 0, false, EMPTY, 0, 0, EMPTY, 0, 0);
        journal.close();

        journal = open();
        final RecoveredState state = journal.recover();

        assertThat(state.requests().state(SCOPE, 5, 6)).isEqualTo(RequestState.ACCEPTED);
        assertThat(state.requests().state(11002, 5, 6)).isEqualTo(RequestState.COMPLETED);
        assertThat(state.requests().acceptedIndex(state.requests().find(SCOPE, 5, 6))).isEqualTo(mine);
        assertThat(state.requests().acceptedIndex(state.requests().find(11002, 5, 6))).isEqualTo(theirs);
        assertThat(state.pending()).extracting(PendingRequest::scope).containsExactly(SCOPE);
    }

    @Test
    void rejectedAndAuditEntriesAppearInTheTrace()
    {
        journal = open();
        final DirectBuffer detail = utf8("deadline passed");
        journal.appendRejected(SCOPE, 0, 0, ErrorCode.FRAME_TOO_LARGE.value(), FieldId.FRAME.value(), 0, false, detail, 0,
            detail.capacity());
        journal.appendAudit("ops", "limit", "upstream=64");

        final List<JournalEvent> trace = journal.trace(0, 0);

        assertThat(trace).extracting(JournalEvent::type).containsExactly(JournalEventType.REJECTED, JournalEventType.AUDIT);
        // A sealed entry's summary goes on to name its key (SealedJournalTest).
        assertThat(trace.get(0).summary()).startsWith(
            "municipality=131016 code=FRAME_TOO_LARGE field=FRAME retryAfterMs=0 acceptedBefore=false detail=\"deadline passed\"");
        assertThat(trace.get(1).summary()).isEqualTo("actor=ops action=limit detail=\"upstream=64\"");
        assertThat(trace.get(1).toLine()).startsWith("2026-06-12T09:00:00Z index=");
    }

    @Test
    void recoverFindsExactlyTheAcceptedAndForwardedRequestsStillWithoutAnOutcome()
    {
        journal = open();
        accept(journal, 1, 1);
        accept(journal, 1, 2);
        accept(journal, 1, 3);
        accept(journal, 1, 4);
        accept(journal, 1, 5);
        journal.appendForwarded(SCOPE, 1, 2, 1, 1, false);
        journal.appendForwarded(SCOPE, 1, 3, 1, 1, false);
        journal.appendForwarded(SCOPE, 1, 3, 1, 2, true);
        complete(journal, 1, 3);
        journal.appendRejected(SCOPE, 1, 4, ErrorCode.DEADLINE_EXCEEDED.value(), 0, 0, true, EMPTY, 0, 0);
        journal.appendRejected(SCOPE, 1, 5, ErrorCode.RATE_LIMITED.value(), 0, 100, false, EMPTY, 0, 0);

        final RecoveredState state = journal.recover();

        assertThat(state.pending()).extracting(PendingRequest::idLo).containsExactly(1L, 2L, 5L);
        assertThat(state.pending().get(1).forwardAttempts()).isEqualTo(1);
        assertThat(state.pending().get(0).deadlineEpochMs()).isEqualTo(1_800_000_000_001L);
        assertThat(state.requests().state(SCOPE, 1, 3)).isEqualTo(RequestState.COMPLETED);
        assertThat(state.requests().state(SCOPE, 1, 4)).isEqualTo(RequestState.REJECTED);
        assertThat(state.fromCheckpoint()).isFalse();
    }

    /**
     * The checkpoint thread on its own: it catches up with the journal in small steps between checkpoints and writes
     * (paced) every interval, so entries appended while it runs end up in a checkpoint nobody asked for, equal to what
     * a full scan finds.
     */
    @Test
    void theIntervalCheckpointCoversWhatWasAppendedWhileTheThreadCaughtUp() throws IOException
    {
        journal = Journal.open(configure(config(directory).timeProvider(clock).checkpointInterval(Duration.ofMillis(500))).build());
        journal.recover();
        long last = -1;
        for (long lo = 1; lo <= 3_000; lo++)
        {
            last = accept(journal, 6, lo);
            if (lo % 2 == 0)
            {
                last = complete(journal, 6, lo);
            }
        }
        final long lastIndex = last;
        await().atMost(Duration.ofSeconds(10)).until(() ->
        {
            final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 1_000_000);
            return loaded != null && loaded.coveredIndex() == lastIndex;
        });
        final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 1_000_000);
        final RecoveredState viaCheckpoint = journal.recover();
        deleteCheckpoint();
        final RecoveredState viaFullScan = journal.recover();
        assertThat(viaCheckpoint.fromCheckpoint()).isTrue();
        assertThat(loaded.requests().sameContent(viaFullScan.requests())).isTrue();
        assertThat(viaFullScan.pending()).hasSize(1_500);
    }

    @Test
    void recoveryFromCheckpointPlusTailEqualsRecoveryFromFullScan()
    {
        journal = open();
        for (long lo = 1; lo <= 200; lo++)
        {
            accept(journal, 5, lo);
            if (lo % 3 == 0)
            {
                complete(journal, 5, lo);
            }
        }
        journal.recover();
        journal.checkpoint();
        for (long lo = 201; lo <= 300; lo++)
        {
            accept(journal, 5, lo);
            journal.appendForwarded(SCOPE, 5, lo, 1, 1, false);
            if (lo % 4 == 0)
            {
                complete(journal, 5, lo);
            }
        }
        complete(journal, 5, 1);

        final RecoveredState viaCheckpoint = journal.recover();
        deleteCheckpoint();
        final RecoveredState viaFullScan = journal.recover();

        assertThat(viaCheckpoint.fromCheckpoint()).isTrue();
        assertThat(viaCheckpoint.replayedEntries()).isLessThan(viaFullScan.replayedEntries());
        assertThat(viaFullScan.fromCheckpoint()).isFalse();
        assertThat(viaCheckpoint.pending()).isEqualTo(viaFullScan.pending());
        assertThat(viaCheckpoint.requests().sameContent(viaFullScan.requests())).isTrue();
        assertThat(viaCheckpoint.pending()).hasSize(200 - 66 - 1 + 100 - 25);
    }

    @Test
    void corruptCheckpointFallsBackToAFullScan() throws Exception
    {
        journal = open();
        accept(journal, 1, 1);
        journal.recover();
        journal.checkpoint();
        accept(journal, 1, 2);
        final Path checkpoint = CheckpointFile.path(directory);
        final byte[] content = java.nio.file.Files.readAllBytes(checkpoint);
        content[content.length / 2] ^= 0x5A;
        java.nio.file.Files.write(checkpoint, content);

        final RecoveredState state = journal.recover();

        assertThat(state.fromCheckpoint()).isFalse();
        assertThat(state.pending()).extracting(PendingRequest::idLo).containsExactly(1L, 2L);
    }

    @Test
    void restartAfterCloseRecoversFromTheFinalCheckpointWithoutReplaying()
    {
        journal = open();
        journal.recover();
        accept(journal, 1, 1);
        accept(journal, 1, 2);
        complete(journal, 1, 1);
        journal.close();

        journal = open();
        final RecoveredState state = journal.recover();

        assertThat(state.fromCheckpoint()).isTrue();
        assertThat(state.replayedEntries()).isZero();
        assertThat(state.pending()).extracting(PendingRequest::idLo).containsExactly(2L);
    }

    @Test
    void recoverySkipsEntriesOfUnknownTypes()
    {
        journal = open();
        accept(journal, 1, 1);
        try (var appender = net.openhft.chronicle.queue.impl.single.ThreadLocalAppender.acquireThreadLocalAppender(
            net.openhft.chronicle.queue.ChronicleQueue.singleBuilder(directory)
                .rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY).timeProvider(clock).build());
            var dc = appender.writingDocument())
        {
            dc.wire().bytes().writeByte((byte)99).writeByte((byte)0).writeLong(0).writeLong(1).writeLong(1);
        }
        complete(journal, 1, 1);

        final RecoveredState state = journal.recover();

        assertThat(state.pending()).isEmpty();
        assertThat(state.replayedEntries()).isEqualTo(3);
    }

    @Test
    void statsCountEntriesPerType()
    {
        journal = open();
        accept(journal, 1, 1);
        accept(journal, 1, 2);
        journal.appendForwarded(SCOPE, 1, 1, 1, 1, false);
        complete(journal, 1, 1);

        final JournalStats stats = journal.stats();

        assertThat(stats.countsByType()).containsEntry(JournalEventType.ACCEPTED, 2L)
            .containsEntry(JournalEventType.FORWARDED, 1L).containsEntry(JournalEventType.COMPLETED, 1L)
            .containsEntry(JournalEventType.REJECTED, 0L);
        assertThat(stats.totalEntries()).isEqualTo(4);
        assertThat(stats.cycleFiles()).isEqualTo(1);
        assertThat(stats.bytesOnDisk()).isPositive();
    }

    @Test
    void appendsInProcessModeAreDurableAtOnce()
    {
        journal = open();
        final long index = accept(journal, 1, 1);
        final boolean[] ran = {false};
        final boolean[] handedOver = {false};

        // At once, on the calling thread: no task for the executor (a relay node acknowledges within the read).
        journal.whenDurable(index, task -> handedOver[0] = true, () -> ran[0] = true);

        assertThat(ran[0]).isTrue();
        assertThat(handedOver[0]).isFalse();
        assertThat(journal.durability().toWire()).isEqualTo(io.chukei.protocol.sbe.Durability.PROCESS);
    }

    private Journal open()
    {
        return Journal.open(configure(config(directory).timeProvider(clock)).build());
    }

    /** The journal's config beyond the fixtures': {@link SealedJournalTest} runs every test here with a key ring. */
    JournalConfig.Builder configure(final JournalConfig.Builder builder)
    {
        return builder;
    }

    private void deleteCheckpoint()
    {
        try
        {
            java.nio.file.Files.delete(CheckpointFile.path(directory));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static byte[] bytes(final DirectBuffer buffer, final int length)
    {
        return slice(buffer, 0, length);
    }

    private static byte[] slice(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return copy;
    }
}
