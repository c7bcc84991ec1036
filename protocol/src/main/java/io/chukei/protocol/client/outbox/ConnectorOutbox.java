package io.chukei.protocol.client.outbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import io.chukei.protocol.sbe.SubmitDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.ThreadLocalAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's durable outbox: a local Chronicle Queue (hourly cycle files) holding every request the SDK took,
 * appended before the request is first sent, and every final answer the SDK gave. Opening an outbox reads it back:
 * the requests without a final answer are handed to the {@code ConnectorClient}s of their municipality
 * ({@link #takeUnresolved}), which send them again with the same id and the possible-duplicate flag.
 * <p>
 * One outbox serves any number of clients of one process (e.g. a load generator's thousand municipalities); one
 * process at a time: a lock file keeps a second opener out (a killed process's lock goes with it).
 * Layout of the entries: {@link OutboxEntry}. Durability of an append: {@link OutboxDurability}.
 * <p>
 * <b>Retention.</b> Every minute, and at opening, hourly cycle files older than {@link OutboxConfig#retention()}
 * past their hour are deleted unless they may hold a request still unresolved. At opening every unresolved
 * request is copied forward into the current hour (a CARRIED entry), so older files hold only finished stories.
 * <p>
 * <b>Personal data.</b> A Submit's frame (personal number, names, address, PIN block) is stored as sent, not
 * encrypted: the directory is 0700 and every file 0600, so only the connector's own user (and root) can read it.
 * protocol/README.md, "Outbox", says what that protects and what it does not.
 */
public final class ConnectorOutbox implements AutoCloseable
{
    /** Returned by an append that could not write its entry. */
    public static final long APPEND_FAILED = -1;
    /** Marks a directory as an outbox; {@link OutboxRecords} refuses directories without it. */
    static final String MARKER_FILE = "chukei-outbox";
    static final String LOCK_FILE = "outbox.lock";
    static final RollCycle ROLL_CYCLE = RollCycles.FAST_HOURLY;
    /**
     * Unresolved requests counted per cycle, by cycle modulo this: retention keeps a cycle whose slot is not 0.
     * Two cycles sharing a slot (1,024 hours apart) only keep a file longer than needed, never delete one too early.
     */
    private static final int CYCLE_SLOTS = 1024;
    private static final long HOUSEKEEPING_PERIOD_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorOutbox.class);

    private final OutboxConfig config;
    private final SingleChronicleQueue queue;
    private final FileChannel lockChannel;
    private final OutboxSyncer syncer;
    private final OutboxRetention retention;
    private final AtomicIntegerArray unresolvedByCycle = new AtomicIntegerArray(CYCLE_SLOTS);
    private final Map<String, List<RecoveredRequest>> recovered;
    private final int recoveredCount;
    private final ScheduledExecutorService housekeeping;
    private final ThreadLocal<FrameReader> frameReaders = ThreadLocal.withInitial(FrameReader::new);
    private final AtomicLong appendFailures = new AtomicLong();

    private ConnectorOutbox(final OutboxConfig config, final FileChannel lockChannel) throws IOException
    {
        this.config = config;
        this.lockChannel = lockChannel;
        this.syncer = config.durability() == OutboxDurability.SYNC ? new OutboxSyncer(ROLL_CYCLE::toCycle) : null;
        final OwnerOnlyFiles files = new OwnerOnlyFiles((cycle, file) ->
        {
            if (syncer != null)
            {
                syncer.fileAcquired(cycle, file);
            }
        });
        this.queue = SingleChronicleQueueBuilder.binary(config.directory())
            .rollCycle(ROLL_CYCLE)
            .timeProvider(config.clock()::millis)
            .storeFileListener(files)
            .build();
        OwnerOnlyFiles.restrictTree(config.directory());
        this.retention = new OutboxRetention(config.directory(), ROLL_CYCLE,
            (int)Math.max(0, ceilDiv(config.retention().toMillis(), ROLL_CYCLE.lengthInMillis())));
        final List<RecoveredRequest> unresolved = carryForward(OutboxScan.unresolved(queue));
        this.recoveredCount = unresolved.size();
        final Map<String, List<RecoveredRequest>> byMunicipality = new HashMap<>();
        for (final RecoveredRequest request : unresolved)
        {
            byMunicipality.computeIfAbsent(request.municipality(), code -> new ArrayList<>()).add(request);
        }
        this.recovered = byMunicipality;
        applyRetention();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "chukei-outbox-retention");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleWithFixedDelay(this::applyRetentionQuietly, HOUSEKEEPING_PERIOD_MS, HOUSEKEEPING_PERIOD_MS,
            TimeUnit.MILLISECONDS);
        LOG.info("Connector outbox open: {} ({} durability, retention {}), {} unresolved requests to resubmit",
            config.directory(), config.durability(), config.retention(), recoveredCount);
    }

    /** Opens (creating if needed) the outbox in {@code directory} with every default. */
    public static ConnectorOutbox open(final Path directory) throws IOException
    {
        return open(OutboxConfig.of(directory));
    }

    /**
     * Opens (creating if needed) the outbox, reads back what an earlier process left unresolved and copies it
     * forward. IllegalStateException when another process (or another outbox of this one) has it open.
     */
    public static ConnectorOutbox open(final OutboxConfig config) throws IOException
    {
        final Path directory = config.directory();
        OwnerOnlyFiles.createDirectory(directory);
        final Path lockFile = directory.resolve(LOCK_FILE);
        final FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        OwnerOnlyFiles.restrict(lockFile);
        try
        {
            final FileLock lock = lockChannel.tryLock();
            if (lock == null)
            {
                throw new IllegalStateException("outbox " + directory + " is open in another process (expected: one " +
                    "process per outbox directory)");
            }
        }
        catch (final OverlappingFileLockException ex)
        {
            lockChannel.close();
            throw new IllegalStateException("outbox " + directory + " is already open in this process (expected: one " +
                "ConnectorOutbox per directory, shared by the clients)", ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            lockChannel.close();
            throw ex;
        }
        final Path marker = directory.resolve(MARKER_FILE);
        if (!Files.exists(marker))
        {
            Files.writeString(marker, "chukei connector outbox, entry layout " + OutboxEntry.VERSION + "\n",
                StandardCharsets.US_ASCII);
        }
        try
        {
            return new ConnectorOutbox(config, lockChannel);
        }
        catch (final IOException | RuntimeException ex)
        {
            lockChannel.close();
            throw ex;
        }
    }

    public OutboxConfig config()
    {
        return config;
    }

    /** Unresolved requests found at opening (all municipalities), before any was taken. */
    public int recoveredAtOpen()
    {
        return recoveredCount;
    }

    /** Appends that failed since opening (each answered locally JOURNAL_UNAVAILABLE, or an answer left unrecorded). */
    public long appendFailures()
    {
        return appendFailures.get();
    }

    /**
     * The unresolved requests of {@code municipality} found at opening, in the order they were taken; empty on a
     * second call. Used by {@code ConnectorClient} when it starts.
     */
    public synchronized List<RecoveredRequest> takeUnresolved(final String municipality)
    {
        final List<RecoveredRequest> taken = recovered.remove(municipality);
        return taken == null ? Collections.emptyList() : taken;
    }

    /**
     * Records a request the SDK takes, before its first send: the complete SOFH frame of its Submit. Returns the
     * entry's index, or {@link #APPEND_FAILED}. Allocates nothing; any thread (each has its own Chronicle appender).
     */
    public long appendSubmit(final byte[] frame, final long submittedAtEpochMs)
    {
        final FrameReader reader = frameReaders.get().wrap(frame);
        try
        {
            final ExcerptAppender appender = ThreadLocalAppender.acquireThreadLocalAppender(queue);
            try (DocumentContext dc = appender.writingDocument())
            {
                try
                {
                    writeSubmit(dc.wire().bytes(), OutboxEntry.SUBMIT, reader, frame, submittedAtEpochMs,
                        reader.submit.deadlineEpochMs());
                }
                catch (final RuntimeException ex)
                {
                    dc.rollbackOnClose();
                    throw ex;
                }
            }
            final long index = appender.lastIndexAppended();
            unresolvedByCycle.incrementAndGet(slot(index));
            if (syncer != null)
            {
                syncer.appended(index);
            }
            return index;
        }
        catch (final RuntimeException ex)
        {
            return failed("a request", ex);
        }
    }

    /**
     * Records the final answer of a request recorded at {@code submitIndex}: a Result ({@code kind} 1, {@code code}
     * its OutcomeStatus value) or a Rejected (2, its ErrorCode value, {@code local} when the SDK made it). Returns the
     * entry's index, or {@link #APPEND_FAILED} (the request then counts as unresolved at the next opening and is sent
     * again, which card management's deduplication makes harmless).
     */
    public long appendAnswer(final byte[] frame, final long submittedAtEpochMs, final long submitIndex, final byte kind,
        final boolean local, final int code, final long answeredAtEpochMs)
    {
        final FrameReader reader = frameReaders.get().wrap(frame);
        try
        {
            final ExcerptAppender appender = ThreadLocalAppender.acquireThreadLocalAppender(queue);
            try (DocumentContext dc = appender.writingDocument())
            {
                try
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    writeHeader(bytes, OutboxEntry.ANSWER, reader, frame, submittedAtEpochMs);
                    bytes.writeLong(answeredAtEpochMs);
                    bytes.writeByte(kind);
                    bytes.writeByte((byte)(local ? 1 : 0));
                    bytes.writeShort((short)code);
                }
                catch (final RuntimeException ex)
                {
                    dc.rollbackOnClose();
                    throw ex;
                }
            }
            if (submitIndex >= 0)
            {
                unresolvedByCycle.decrementAndGet(slot(submitIndex));
            }
            return appender.lastIndexAppended();
        }
        catch (final RuntimeException ex)
        {
            return failed("an answer", ex);
        }
    }

    /**
     * Runs {@code action} on {@code executor} once the entry at {@code index} is durable at the configured level:
     * at once in PROCESS mode, after the group-committed fsync covering it in SYNC mode.
     */
    public void whenDurable(final long index, final Executor executor, final Runnable action)
    {
        if (syncer == null)
        {
            executor.execute(action);
        }
        else
        {
            syncer.whenDurable(index, executor, action);
        }
    }

    /** Deletes cycle files past retention that hold nothing unresolved; returns how many. */
    int applyRetention()
    {
        final int deleted = retention.apply(queue.cycle(), cycle -> unresolvedByCycle.get(Math.floorMod(cycle, CYCLE_SLOTS)) == 0);
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    private void applyRetentionQuietly()
    {
        try
        {
            applyRetention();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("Outbox retention failed; will try again in a minute", ex);
        }
    }

    /** Closes the queue; unresolved requests stay in it for the next opening. */
    @Override
    public void close()
    {
        housekeeping.shutdownNow();
        if (syncer != null)
        {
            syncer.close();
        }
        queue.close();
        try
        {
            // Chronicle's releaser thread narrows each new cycle file soon after its creation; this makes it certain.
            OwnerOnlyFiles.restrictTree(config.directory());
        }
        catch (final IOException ex)
        {
            LOG.warn("Narrowing the files of outbox {} to owner-only failed", config.directory(), ex);
        }
        try
        {
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("Releasing the outbox lock of {} failed", config.directory(), ex);
        }
    }

    private List<RecoveredRequest> carryForward(final List<OutboxScan.Pending> pending)
    {
        final List<RecoveredRequest> carried = new ArrayList<>(pending.size());
        if (pending.isEmpty())
        {
            return carried;
        }
        final ExcerptAppender appender = ThreadLocalAppender.acquireThreadLocalAppender(queue);
        final FrameReader reader = frameReaders.get();
        long last = -1;
        for (final OutboxScan.Pending request : pending)
        {
            reader.wrap(request.frame());
            try (DocumentContext dc = appender.writingDocument())
            {
                writeSubmit(dc.wire().bytes(), OutboxEntry.CARRIED, reader, request.frame(), request.submittedAtEpochMs(),
                    request.deadlineEpochMs());
            }
            last = appender.lastIndexAppended();
            unresolvedByCycle.incrementAndGet(slot(last));
            carried.add(new RecoveredRequest(request.requestId(), request.municipality(), request.submittedAtEpochMs(),
                request.deadlineEpochMs(), request.frame(), last));
        }
        if (syncer != null)
        {
            syncer.appended(last);
        }
        return carried;
    }

    private static void writeSubmit(final Bytes<?> bytes, final byte type, final FrameReader reader, final byte[] frame,
        final long submittedAtEpochMs, final long deadlineEpochMs)
    {
        writeHeader(bytes, type, reader, frame, submittedAtEpochMs);
        bytes.writeLong(deadlineEpochMs);
        bytes.writeInt(frame.length);
        bytes.write(frame, 0, frame.length);
    }

    private static void writeHeader(final Bytes<?> bytes, final byte type, final FrameReader reader, final byte[] frame,
        final long submittedAtEpochMs)
    {
        final SubmitDecoder submit = reader.submit;
        bytes.writeByte(type);
        bytes.writeByte(OutboxEntry.VERSION);
        bytes.writeLong(submit.requestId().hi());
        bytes.writeLong(submit.requestId().lo());
        bytes.write(frame, OutboxEntry.SUBMIT_BODY + SubmitDecoder.municipalityCodeEncodingOffset(),
            OutboxEntry.MUNICIPALITY_LENGTH);
        bytes.writeLong(submit.batchId());
        bytes.writeLong(submit.batchSequence());
        bytes.writeLong(submit.batchSize());
        bytes.writeLong(submittedAtEpochMs);
    }

    private long failed(final String what, final RuntimeException ex)
    {
        if (appendFailures.incrementAndGet() == 1 || LOG.isDebugEnabled())
        {
            LOG.error("Outbox {}: appending {} failed (further failures are counted, not logged)", config.directory(),
                what, ex);
        }
        return APPEND_FAILED;
    }

    private static int slot(final long index)
    {
        return Math.floorMod(ROLL_CYCLE.toCycle(index), CYCLE_SLOTS);
    }

    private static long ceilDiv(final long dividend, final long divisor)
    {
        return (dividend + divisor - 1) / divisor;
    }

    /** One thread's flyweight over a Submit frame, to read the fields an entry repeats. */
    private static final class FrameReader
    {
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        private final SubmitDecoder submit = new SubmitDecoder();

        FrameReader wrap(final byte[] frame)
        {
            view.wrap(frame);
            submit.wrap(view, OutboxEntry.SUBMIT_BODY, SubmitDecoder.BLOCK_LENGTH, SubmitDecoder.SCHEMA_VERSION);
            return this;
        }
    }

    @Override
    public String toString()
    {
        return "ConnectorOutbox{" + config.directory() + ", " + config.durability() + "}";
    }
}
