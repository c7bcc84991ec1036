package io.chukei.gateway.journal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read-only reader (`chukei journal trace`, `dump`, a test's look) opened on the journal of a node that is writing
 * it: entries appended while the reader replays are not damage, and it must not say so.
 */
class JournalReadOnlyBesideWriterTest
{
    private static final int READS = 20;
    private static final long STARTED_AFTER = 2_000;
    /** A bound on the journal's size (~400 B an entry), far above what the reads take at the paced rate. */
    private static final long MAX_WRITTEN = 400_000;
    /** At most ~100,000 appends a second: 0.1 ms of rest every 10. */
    private static final int PACE_EVERY = 10;
    private static final long PACE_NANOS = 100_000;

    @TempDir
    Path directory;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger journalLog = (Logger)LoggerFactory.getLogger(Journal.class);

    @BeforeEach
    void captureTheJournalsLog()
    {
        logged.start();
        journalLog.addAppender(logged);
    }

    @AfterEach
    void release()
    {
        journalLog.detachAppender(logged);
    }

    @Test
    void entriesAppendedDuringTheReplayAreReadOrLeftForLaterNeverCalledDamaged() throws Exception
    {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicBoolean appendFailed = new AtomicBoolean();
        final AtomicLong attempted = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final CountDownLatch started = new CountDownLatch(1);
        // No space guard: the writer is paced, not refused (its disk reservation is not what this test is about).
        try (Journal live = Journal.open(config(directory).preallocateBytes(0).build()))
        {
            live.recover();
            final Thread writer = new Thread(() ->
            {
                for (long lo = 1; writing.get() && lo <= MAX_WRITTEN; lo++)
                {
                    attempted.set(lo);
                    if (accept(live, 1, lo) < 0)
                    {
                        appendFailed.set(true);
                        return;
                    }
                    written.set(lo);
                    if (lo == STARTED_AFTER)
                    {
                        started.countDown();
                    }
                    if (lo % PACE_EVERY == 0)
                    {
                        LockSupport.parkNanos(PACE_NANOS);
                    }
                }
            }, "journal-writer");
            writer.start();
            try
            {
                assertThat(started.await(30, TimeUnit.SECONDS)).as("the writer got going").isTrue();
                for (int read = 0; read < READS; read++)
                {
                    final long writtenBefore = written.get();
                    try (Journal reader = Journal.open(config(directory).readOnly(true).build()))
                    {
                        final long pending = reader.recover().pending().size();
                        assertThat(pending).as("read %d: every entry written before it opened, and none the writer had " +
                            "not begun", read).isGreaterThanOrEqualTo(writtenBefore).isLessThanOrEqualTo(attempted.get());
                    }
                }
            }
            finally
            {
                writing.set(false);
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(writer.isAlive()).isFalse();
        }
        assertThat(appendFailed).as("every append of the writer succeeded").isFalse();
        assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
            .extracting(ILoggingEvent::getFormattedMessage).noneMatch(message -> message.contains("damaged"));
    }
}
