package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JournalSyncTest
{
    @TempDir
    Path directory;

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
    void whenDurableRunsAfterASyncCoversTheEntry()
    {
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC).build());
        final long index = accept(journal, 1, 1);
        final CountDownLatch durable = new CountDownLatch(1);

        journal.whenDurable(index, Runnable::run, durable::countDown);

        await().atMost(Duration.ofSeconds(10)).until(() -> durable.getCount() == 0);
        assertThat(journal.syncCount()).isPositive();
        assertThat(journal.durability().toWire()).isEqualTo(io.chukei.protocol.sbe.Durability.SYNC);
    }

    @Test
    void everyFsyncIsToldToTheSyncListenerBeforeTheEntriesItCoversAreReportedDurable()
    {
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC).build());
        final List<Long> syncDurations = new CopyOnWriteArrayList<>();
        journal.onSync(syncDurations::add);
        final List<Integer> toldWhenDurable = new CopyOnWriteArrayList<>();

        for (long lo = 1; lo <= 3; lo++)
        {
            journal.whenDurable(accept(journal, 1, lo), Runnable::run, () -> toldWhenDurable.add(syncDurations.size()));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> toldWhenDurable.size() == 3);
        assertThat(toldWhenDurable).allSatisfy(told -> assertThat(told).isPositive());
        assertThat(syncDurations).hasSize((int)journal.syncCount()).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void entriesNobodyWaitsForAreSyncedWithinTheMaximumDelay()
    {
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC)
            .maxSyncDelay(Duration.ofMillis(5)).build());

        accept(journal, 1, 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncCount() >= 1);
    }

    @Test
    void concurrentAppendsShareSyncs() throws Exception
    {
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC).build());
        final int threads = 4;
        final int perThread = 250;
        final AtomicInteger durable = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            final long hi = t + 1;
            writers[t] = new Thread(() ->
            {
                awaitQuietly(start);
                for (long lo = 1; lo <= perThread; lo++)
                {
                    final long index = accept(journal, hi, lo);
                    journal.whenDurable(index, Runnable::run, durable::incrementAndGet);
                }
            });
            writers[t].start();
        }

        start.countDown();
        for (final Thread writer : writers)
        {
            writer.join();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> durable.get() == threads * perThread);
        assertThat(journal.syncCount()).isLessThan(threads * perThread);
    }

    @Test
    void closeSyncsAndRunsCallbacksStillWaiting()
    {
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC)
            .maxSyncDelay(Duration.ofSeconds(1)).build());
        final AtomicInteger durable = new AtomicInteger();
        for (long lo = 1; lo <= 10; lo++)
        {
            journal.whenDurable(accept(journal, 1, lo), Runnable::run, durable::incrementAndGet);
        }

        journal.close();
        journal = null;

        assertThat(durable).hasValue(10);
    }

    /**
     * After a failed fsync nothing not covered before it is reported durable, even when later fsyncs would succeed
     * (after a write-back error the kernel may have dropped the pages, and a retry succeeds without them), and the
     * journal takes no new request. Before, the sync thread retried every 100 ms and reported all of it durable.
     */
    @Test
    void afterAFailedFsyncNothingMoreIsReportedDurableAndNewRequestsAreRefused()
    {
        final AtomicBoolean diskFails = new AtomicBoolean();
        final AtomicInteger fsyncs = new AtomicInteger();
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC).build(), channel ->
        {
            fsyncs.incrementAndGet();
            if (diskFails.get())
            {
                throw new IOException("Input/output error");
            }
            channel.force(false);
        });
        final List<Long> reportedDurable = new CopyOnWriteArrayList<>();
        final long first = accept(journal, 1, 1);
        journal.whenDurable(first, Runnable::run, () -> reportedDurable.add(first));
        await().atMost(Duration.ofSeconds(10)).until(() -> reportedDurable.size() == 1);

        diskFails.set(true);
        final long second = accept(journal, 1, 2);
        journal.whenDurable(second, Runnable::run, () -> reportedDurable.add(second));
        await("the failed fsync seen").atMost(Duration.ofSeconds(10)).until(() -> journal.syncProblem() != null);
        // The disk answers again: a retried fsync would now succeed, without the pages the failed one dropped.
        diskFails.set(false);
        final int fsyncsAtFailure = fsyncs.get();

        assertThat(accept(journal, 1, 3)).as("a new request after the failure").isEqualTo(Journal.APPEND_FAILED);
        assertThat(journal.storageProblem()).contains("fsync of the journal through index " + second + " failed")
            .contains("Input/output error");
        assertThat(journal.appendForwarded(JournalFixtures.SCOPE, 1, 1, 1, 1, false))
            .as("entries finishing accepted work are still written").isNotNegative();

        journal.close();
        journal = null;

        assertThat(reportedDurable).as("entries reported durable").containsExactly(first);
        assertThat(fsyncs.get()).as("fsyncs after the failure, including close's").isEqualTo(fsyncsAtFailure);
    }

    /**
     * A caller that must know when an entry will never be reported durable (an operator's audit entry) is told: for
     * the entry whose fsync failed, and at once for one appended before the failure and asked about after it.
     */
    @Test
    void whenDurableOrFailedTellsTheFailureOfTheFsyncThatWasToCoverTheEntry()
    {
        final AtomicBoolean diskFails = new AtomicBoolean();
        journal = Journal.open(config(directory).durability(JournalDurability.SYNC).build(), channel ->
        {
            if (diskFails.get())
            {
                throw new IOException("Input/output error");
            }
            channel.force(false);
        });
        final List<String> told = new CopyOnWriteArrayList<>();
        final long first = accept(journal, 1, 1);
        journal.whenDurableOrFailed(first, Runnable::run, () -> told.add("durable " + first), () -> told.add("failed " + first));
        await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 1);

        diskFails.set(true);
        final long second = accept(journal, 1, 2);
        journal.whenDurableOrFailed(second, Runnable::run, () -> told.add("durable " + second),
            () -> told.add("failed " + second));
        await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);
        journal.whenDurableOrFailed(second, Runnable::run, () -> told.add("durable again " + second),
            () -> told.add("failed again " + second));
        await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 3);

        assertThat(told).containsExactly("durable " + first, "failed " + second, "failed again " + second);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
