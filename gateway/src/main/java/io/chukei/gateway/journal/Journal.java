package io.chukei.gateway.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import io.chukei.gateway.files.PrivateFiles;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.ThreadLocalAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay node's journal: one Chronicle Queue entry per request event (layout in {@link JournalCodec}),
 * the whole story of every request, and the source of truth a restarted node recovers from.
 * <p>
 * Appends may come from any number of threads; each thread writes through its own Chronicle appender
 * (appenders are bound to one thread) and Chronicle's write lock orders the entries. Append methods return
 * the entry's journal index, or {@link #APPEND_FAILED} when the entry could not be written (the caller
 * answers JOURNAL_UNAVAILABLE). An entry is durable at the configured level once {@link #whenDurable} runs
 * its callback: at once in PROCESS mode (on the caller's thread), after a group-committed fsync in SYNC mode.
 * <p>
 * Call {@link #recover()} once at startup, before appending: it rebuilds the request table and the pending
 * requests and starts the background checkpointer (which also applies retention).
 * <p>
 * In OFF mode (benchmarks only, to measure what the journal costs) no queue is opened and nothing touches the
 * disk: appends return increasing synthetic indexes (from 1), every entry is "durable" at once, reads find
 * nothing and recovery knows no request.
 */
public final class Journal implements AutoCloseable
{
    /** Returned by an append that could not write its entry. */
    public static final long APPEND_FAILED = -1;
    /**
     * How far out of timestamp order entries may be ({@link #write}: an entry's time is taken before the write lock,
     * and the wait for it includes preemption on shared cores). A backward read by time goes this much further.
     */
    private static final long ORDER_SLACK_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** An ACCEPTED entry's bytes besides the Submit (header, fields, a sealed block's IV, key id and tag), rounded up. */
    private static final int ACCEPTED_OVERHEAD_BYTES = 512 + EntryChecksum.LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final JournalConfig config;
    /** Null in OFF mode. */
    private final SingleChronicleQueue queue;
    /** OFF mode: appends only count, so indexes still increase and stay above 0. */
    private final boolean journalOff;
    /** Entries failing their checksum that the tools' passes left out, since open. */
    private final AtomicLong damagedLeftOut = new AtomicLong();
    private final AtomicLong syntheticIndex = new AtomicLong();
    private final TimeProvider clock;
    private final CycleFiles cycleFiles;
    private final GroupCommitter groupCommitter;
    /** PROCESS mode's watch for write-back errors; null in the other modes, when switched off, or unavailable. */
    private final WritebackErrors writebackCheck;
    /** Set by the first {@link #close()}. */
    private boolean closed;
    private final ThreadLocal<ExcerptTailer> readers;
    private final AtomicLong appendFailures = new AtomicLong();
    private final RecentMax appendLatency = new RecentMax();
    /** Seals the personal part of new entries; null without a key ring (entries are then written in clear). */
    private final EntrySealer sealer;
    private final SealedEntries sealedEntries;
    private final AtomicLong readFailures = new AtomicLong();
    /** Keeps disk allocated ahead of the write position; null when off, read-only, or the journal is off. */
    private final JournalSpace space;
    private Checkpointer checkpointer;
    // What open() found that may have cost FORWARDED entries (a cut file, a restart of the machine); recover() adds
    // the damage it finds itself.
    private List<String> damageAtOpen = List.of();
    // This boot's id, recorded at close (BootId); null for a read-only journal or without one to read.
    private String bootId;

    private Journal(final JournalConfig config, final SingleChronicleQueue queue, final GroupCommitter.Force force)
    {
        this.config = config;
        this.queue = queue;
        this.journalOff = queue == null;
        this.clock = config.timeProvider();
        this.cycleFiles = new CycleFiles(config.directory(), config.rollCycle());
        this.groupCommitter = config.durability() == JournalDurability.SYNC ?
            new GroupCommitter(config.directory(), cycleFiles, index -> queue.rollCycle().toCycle(index),
            config.maxSyncDelay().toNanos(), force) : null;
        this.writebackCheck = config.durability() == JournalDurability.PROCESS && !journalOff && !config.readOnly() &&
            !config.writebackCheckInterval().isZero() ?
            WritebackErrors.start(cycleFiles, queue::lastCycle, queue::lastIndex,
                config.writebackCheckInterval().toNanos()) : null;
        this.readers = journalOff ? null : ThreadLocal.withInitial(queue::createTailer);
        this.sealer = config.keys() == null || journalOff ? null : new EntrySealer(config.keys());
        this.sealedEntries = new SealedEntries(sealer);
        this.space = journalOff || config.readOnly() || config.preallocateBytes() == 0 ? null :
            new JournalSpace(config.directory(), cycleFiles, config.preallocateBytes());
    }

    /**
     * Opens (creating if needed) the journal in {@code config.directory()}. A journal left locked by a killed
     * writer is taken over: Chronicle force-unlocks a dead writer's lock on the first append (about 1 s).
     * In OFF mode nothing is opened or created.
     */
    public static Journal open(final JournalConfig config)
    {
        return open(config, GroupCommitter.FSYNC);
    }

    /** As {@link #open(JournalConfig)}, {@code sync} mode's fsync done by {@code force} (a test's failing disk). */
    static Journal open(final JournalConfig config, final GroupCommitter.Force force)
    {
        return open(config, force, BootId.SOURCE);
    }

    /** As {@link #open(JournalConfig)}, this boot's id read from {@code bootId} (a test's restarted machine). */
    static Journal open(final JournalConfig config, final GroupCommitter.Force force, final Path bootId)
    {
        if (config.durability() == JournalDurability.OFF)
        {
            LOG.info("Journal off, nothing written: {}", config);
            return new Journal(config, null, force);
        }
        final Path directory = config.directory();
        try
        {
            if (!config.readOnly())
            {
                PrivateFiles.createDirectories(directory);
            }
            else if (!Files.isDirectory(directory))
            {
                throw new IllegalArgumentException("directory: " + directory + " (expected: an existing journal directory)");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Cannot create journal directory " + directory, ex);
        }
        final CycleFiles cycles = new CycleFiles(directory, config.rollCycle());
        if (config.readOnly())
        {
            // Read-only, Chronicle would map past the end of a cut file and the first read there raises SIGBUS.
            try
            {
                final List<Path> cut = JournalIntegrity.cutCycleFiles(directory, cycles);
                if (!cut.isEmpty())
                {
                    throw new IllegalStateException("journal " + directory + ": cycle file " + cut.get(0).getFileName() +
                        " is cut short (a crash of the machine): `chukei journal verify` reports what it holds; the node " +
                        "repairs it when it starts");
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("Cannot list journal directory " + directory, ex);
            }
        }
        final List<String> forwardsMayBeMissing = new ArrayList<>();
        final String bootNow = config.readOnly() ? null : BootId.current(bootId);
        if (!config.readOnly())
        {
            if (!JournalIntegrity.repairCutCycleFiles(directory, cycles).isEmpty())
            {
                forwardsMayBeMissing.add("a cycle file was cut short (a crash of the machine)");
            }
            if (BootId.machineRestarted(directory, bootNow))
            {
                forwardsMayBeMissing.add("the machine restarted since the journal was last closed (pages not yet written " +
                    "back may be lost)");
            }
        }
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(config.rollCycle())
            .timeProvider(config.timeProvider())
            .readOnly(config.readOnly());
        if (config.blockSize() > 0)
        {
            builder.blockSize(config.blockSize());
        }
        if (!config.readOnly())
        {
            // Chronicle creates its cycle files itself, with the process umask: each is narrowed to 0600 when the
            // queue first acquires it (the 0700 directory keeps others out until then).
            builder.storeFileListener(JournalFileModes.INSTANCE);
        }
        final SingleChronicleQueue queue = builder.build();
        if (!config.readOnly())
        {
            // The metadata file (metadata.cq4t) is written by build(); cycle files of an older version are narrowed too.
            PrivateFiles.restrictTree(directory);
        }
        LOG.info("Journal open: {}", config);
        final Journal journal = new Journal(config, queue, force);
        journal.damageAtOpen = List.copyOf(forwardsMayBeMissing);
        journal.bootId = bootNow;
        return journal;
    }

    public JournalConfig config()
    {
        return config;
    }

    public JournalDurability durability()
    {
        return config.durability();
    }

    public long appendAccepted(final long idHi, final long idLo, final int nodeId, final long connectionId,
        final DirectBuffer municipality6, final int muniOffset, final byte priority, final long deadlineEpochMs,
        final long fingerprint, final DirectBuffer submit, final int offset, final int length)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayAccept(ACCEPTED_OVERHEAD_BYTES + length))
        {
            // Refused before the file is touched: no Accepted can go out for an entry that was not written.
            return APPEND_FAILED;
        }
        if (syncProblem() != null)
        {
            // No Accepted could ever go out for it in sync mode (nothing is reported durable after a failed fsync); in
            // process mode the disk is failing under entries already acknowledged: no more of them.
            return APPEND_FAILED;
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            final EntrySealer.Context sealing = sealer == null ? null : sealer.begin();
            final Bytes<?> clearOut = clearFields(bytes, sealing, JournalEventType.ACCEPTED, idHi, idLo);
            clearOut.writeInt(nodeId);
            clearOut.writeLong(connectionId);
            JournalCodec.copyMunicipality(clearOut, municipality6, muniOffset);
            clearOut.writeByte(priority);
            clearOut.writeLong(deadlineEpochMs);
            clearOut.writeLong(fingerprint);
            if (sealing == null)
            {
                JournalCodec.writeBuffer(bytes, submit, offset, length);
            }
            else
            {
                clearOut.writeInt(length);
                final int clear = SealedEntries.clearPrefixOf(length);
                JournalCodec.writeBuffer(clearOut, submit, offset, clear);
                sealer.seal(bytes, sealing.put(submit, offset + clear, length - clear));
            }
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.ACCEPTED, ex);
        }
    }

    public long appendForwarded(final int scope, final long idHi, final long idLo, final int endpointId,
        final int forwardAttempt, final boolean possibleDuplicate)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayWrite())
        {
            return noRoom(JournalEventType.FORWARDED);
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            JournalCodec.writeHeader(bytes, JournalEventType.FORWARDED, clock.currentTimeNanos(), idHi, idLo);
            bytes.writeInt(endpointId);
            bytes.writeInt(forwardAttempt);
            bytes.writeByte(possibleDuplicate ? (byte)1 : (byte)0);
            bytes.writeInt(scope);
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.FORWARDED, ex);
        }
    }

    /** The request's final outcome from card management (never a transient failure, which the relay retries). */
    public long appendCompleted(final int scope, final long idHi, final long idLo, final byte status, final int upstreamCode,
        final boolean duplicate, final DirectBuffer detail, final int dOff, final int dLen, final DirectBuffer payload,
        final int pOff, final int pLen)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayWrite())
        {
            return noRoom(JournalEventType.COMPLETED);
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            final EntrySealer.Context sealing = sealer == null ? null : sealer.begin();
            final Bytes<?> clearOut = clearFields(bytes, sealing, JournalEventType.COMPLETED, idHi, idLo);
            clearOut.writeByte(status);
            clearOut.writeInt(upstreamCode);
            clearOut.writeByte(duplicate ? (byte)1 : (byte)0);
            if (sealing == null)
            {
                JournalCodec.writeBuffer(bytes, detail, dOff, dLen);
                JournalCodec.writeBuffer(bytes, payload, pOff, pLen);
                bytes.writeInt(scope);
            }
            else
            {
                clearOut.writeInt(scope);
                sealer.seal(bytes, sealing.putField(detail, dOff, dLen).putField(payload, pOff, pLen));
            }
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.COMPLETED, ex);
        }
    }

    /**
     * The request's deadline passed after {@code forwardAttempts} forwards: card management may have applied it.
     * Not terminal; a COMPLETED entry follows when its Outcome arrives.
     */
    public long appendOutcomeUnknown(final int scope, final long idHi, final long idLo, final int forwardAttempts,
        final long deadlineEpochMs)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayWrite())
        {
            return noRoom(JournalEventType.OUTCOME_UNKNOWN);
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            JournalCodec.writeHeader(bytes, JournalEventType.OUTCOME_UNKNOWN, clock.currentTimeNanos(), idHi, idLo);
            bytes.writeInt(forwardAttempts);
            bytes.writeLong(deadlineEpochMs);
            bytes.writeInt(scope);
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.OUTCOME_UNKNOWN, ex);
        }
    }

    /**
     * A rejection. {@code acceptedBefore} true: a terminal rejection of an accepted request (e.g.
     * DEADLINE_EXCEEDED); false: refused at admission or validation, journaled for the record only (the id,
     * possibly all-zero for bad frames, stays unknown so a later resend is judged afresh).
     */
    public long appendRejected(final int scope, final long idHi, final long idLo, final int errorCode, final int fieldId,
        final long retryAfterMs, final boolean acceptedBefore, final DirectBuffer detail, final int off, final int len)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayWrite())
        {
            return noRoom(JournalEventType.REJECTED);
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            final EntrySealer.Context sealing = sealer == null ? null : sealer.begin();
            final Bytes<?> clearOut = clearFields(bytes, sealing, JournalEventType.REJECTED, idHi, idLo);
            clearOut.writeInt(errorCode);
            clearOut.writeInt(fieldId);
            clearOut.writeLong(retryAfterMs);
            clearOut.writeByte(acceptedBefore ? (byte)1 : (byte)0);
            if (sealing == null)
            {
                JournalCodec.writeBuffer(bytes, detail, off, len);
                bytes.writeInt(scope);
            }
            else
            {
                clearOut.writeInt(scope);
                sealer.seal(bytes, sealing.putField(detail, off, len));
            }
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.REJECTED, ex);
        }
    }

    /**
     * A batch's manifest: {@code scope} the municipality (as {@code MunicipalityCodes.parse} gives it), the batch id,
     * its size and the 32-byte member digest (all zero when none was declared). Not hot: once per batch and session.
     */
    public long appendBatchDeclared(final int scope, final long batchId, final int batchSize, final byte[] memberDigest)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayAccept(ACCEPTED_OVERHEAD_BYTES))
        {
            // New work, like a Submit: refused before the file is touched when the disk is full.
            return APPEND_FAILED;
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            JournalCodec.writeHeader(bytes, JournalEventType.BATCH_DECLARED, clock.currentTimeNanos(), 0, batchId);
            bytes.writeInt(scope);
            bytes.writeInt(batchSize);
            bytes.write(memberDigest, 0, JournalCodec.BATCH_DIGEST_LENGTH);
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.BATCH_DECLARED, ex);
        }
    }

    /** One AUDIT entry as read back: when (epoch ms), who, what, and the detail. */
    public record AuditEntry(long epochMs, String actor, String action, String detail)
    {
    }

    /**
     * The latest AUDIT entries whose action {@code action} accepts, newest first: at most {@code max}, looking at
     * no more than the last {@code maxScanned} entries of the journal, for no longer than about {@code maxTime}.
     * Empty with the journal off.
     */
    public List<AuditEntry> latestAudits(final int max, final long maxScanned, final java.time.Duration maxTime,
        final java.util.function.Predicate<String> action)
    {
        return journalOff ? List.of() : AuditTrail.latest(queue, max, maxScanned, maxTime.toNanos(), action);
    }

    /** An operator's action (isolate, release, limit change...), with request id zero. Allocates; not hot. */
    public long appendAudit(final String actor, final String action, final String detail)
    {
        if (journalOff)
        {
            return syntheticIndex.incrementAndGet();
        }
        if (space != null && !space.mayWrite())
        {
            return noRoom(JournalEventType.AUDIT);
        }
        final long startNs = System.nanoTime();
        try
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            JournalCodec.writeHeader(bytes, JournalEventType.AUDIT, clock.currentTimeNanos(), 0, 0);
            JournalCodec.writeString(bytes, actor);
            JournalCodec.writeString(bytes, action);
            JournalCodec.writeString(bytes, detail);
            return write(bytes, startNs);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return failed(JournalEventType.AUDIT, ex);
        }
    }

    /**
     * Runs {@code onDurable} once the entry at {@code index} is durable at the configured level. In PROCESS and OFF
     * modes it already is: {@code onDurable} runs at once, on the calling thread, before this returns — callers call
     * from {@code executor}'s thread (a relay node's event loop), so the Accepted and the forward go out within the
     * read that carried the Submit rather than from a task behind the rest of the loop's I/O (bench/README.md,
     * "Durable within the read"). In SYNC mode it runs on {@code executor} after the group-commit fsync that covers it.
     */
    public void whenDurable(final long index, final Executor executor, final Runnable onDurable)
    {
        if (groupCommitter == null)
        {
            onDurable.run();
        }
        else
        {
            groupCommitter.whenDurable(index, executor, onDurable);
        }
    }

    /**
     * As {@link #whenDurable(long, Executor, Runnable)}, for a caller that must know when the entry will never be
     * durable: in SYNC mode {@code onFailed} runs on {@code executor} once an fsync failed before one covered
     * {@code index} (or at once when one already has). A disk that hangs runs neither: callers bound their wait.
     */
    public void whenDurableOrFailed(final long index, final Executor executor, final Runnable onDurable,
        final Runnable onFailed)
    {
        if (groupCommitter == null)
        {
            onDurable.run();
        }
        else
        {
            groupCommitter.whenDurable(index, executor, onDurable, onFailed);
        }
    }

    /** Fsyncs done by the group-commit thread so far (0 in PROCESS mode). */
    public long syncCount()
    {
        return groupCommitter == null ? 0 : groupCommitter.syncCount();
    }

    /**
     * Tells {@code listener} the duration (nanoseconds) of every group-commit fsync from now on, on the sync
     * thread; it must be quick (a metrics timer). Nothing is ever told in PROCESS and OFF modes.
     */
    public void onSync(final LongConsumer listener)
    {
        Objects.requireNonNull(listener, "listener");
        if (groupCommitter != null)
        {
            groupCommitter.syncListener(listener);
        }
    }

    /** Duration of the latest fsync in nanoseconds (0 in PROCESS mode). */
    public long lastSyncNs()
    {
        return groupCommitter == null ? 0 : groupCommitter.lastSyncNs();
    }

    /**
     * The slowest append since the previous call, in nanoseconds, or the fsync under way in SYNC mode if it
     * has taken longer: either way, how long an Accepted may currently wait on the journal. For the health
     * monitor (one reader): each call starts a new interval. Always 0 in OFF mode (no append is timed).
     */
    public long takeRecentAppendMaxNanos()
    {
        final long append = appendLatency.takeMax();
        return groupCommitter == null ? append : Math.max(append, groupCommitter.syncRunningNs(System.nanoTime()));
    }

    /**
     * Null while the journal has disk room, else why new requests are refused (disk full): for the health check and
     * the refusal's detail.
     */
    public String spaceProblem()
    {
        return space == null ? null : space.problem();
    }

    /**
     * Null while the disk took every write — {@code sync} mode's fsyncs all succeeded, {@code process} mode's write-back
     * check found no error — else what failed: from then on nothing more is reported durable and new requests are
     * refused until the node is restarted. Always null in OFF mode.
     */
    public String syncProblem()
    {
        return groupCommitter != null ? groupCommitter.failure() : writebackCheck != null ? writebackCheck.failure() : null;
    }

    /** Write-back checks made so far in PROCESS mode (-1 when there is no check); for tests. */
    long writebackChecks()
    {
        return writebackCheck == null ? -1 : writebackCheck.checks();
    }

    /** Why the journal refuses new requests (a failed fsync, or a full disk), null when it takes them: the health check. */
    public String storageProblem()
    {
        final String sync = syncProblem();
        return sync != null ? sync : spaceProblem();
    }

    /** New requests refused for lack of disk space since open. */
    public long spaceRefusals()
    {
        return space == null ? 0 : space.refusals();
    }

    /** Bytes allocated ahead of the write position (see {@link JournalSpace}); -1 when not guarded. */
    public long spaceHeadroomBytes()
    {
        return space == null ? -1 : space.headroom();
    }

    /** Appends that failed since open. */
    public long appendFailures()
    {
        return appendFailures.get();
    }

    /**
     * Rebuilds the request table and the pending requests: loads the latest checkpoint and replays the journal
     * after it, or replays the whole journal when there is no usable checkpoint. The first call also starts
     * the background checkpointer. In OFF mode: an empty state, no scan, no checkpointer.
     */
    public synchronized RecoveredState recover()
    {
        final long startNs = System.nanoTime();
        final int capacity = config.requestIndexCapacity();
        if (journalOff)
        {
            return new RecoveredState(new RequestIndex(capacity), List.of(), -1, false, -1, 0, System.nanoTime() - startNs);
        }
        CheckpointFile.Loaded loaded = null;
        try
        {
            loaded = CheckpointFile.read(config.directory(), capacity);
            if (loaded == null)
            {
                LOG.info("No journal checkpoint in {}; recovering by a full scan", config.directory());
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("Journal checkpoint unusable, recovering by a full scan: {}", ex.getMessage());
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            RequestIndex requests;
            long checkpointIndex = -1;
            if (loaded != null && (loaded.coveredIndex() < 0 ||
                tailer.moveToIndex(loaded.coveredIndex()) && Checkpointer.skipOne(tailer)))
            {
                requests = loaded.requests();
                checkpointIndex = loaded.coveredIndex();
            }
            else
            {
                if (loaded != null)
                {
                    LOG.error("Journal damaged: the checkpoint covers index {} which the journal does not hold: its newest " +
                        "entries are missing (a deleted or cut cycle file, or entries removed); recovering from what is " +
                        "left by a full scan. Requests accepted in the missing entries are unknown to this node: " +
                        "`chukei journal verify` and `chukei reconcile` against card management's records",
                        loaded.coveredIndex());
                }
                requests = new RequestIndex(capacity);
                tailer.toStart();
            }
            // What the queue's index names before the replay (Chronicle names only entries written in full): a node
            // writing this journal while a read-only tool reads it appends meanwhile, and those entries are read too or
            // left for later, never "named by the index and unreadable".
            final long indexedLast = queue.lastIndex();
            final JournalReplayer replayer = new JournalReplayer(requests);
            // Why a FORWARDED entry may be missing behind its ACCEPTED one: then a pending request without a journaled
            // forward may still have been forwarded.
            final List<String> forwardsMayBeMissing = new ArrayList<>(damageAtOpen);
            final long replayed = replayer.replay(tailer);
            if (replayer.unknownEntries() > 0)
            {
                LOG.warn("Recovery skipped {} journal entries of unknown types", replayer.unknownEntries());
            }
            if (replayer.damagedEntries() > 0)
            {
                forwardsMayBeMissing.add(replayer.damagedEntries() + " entries failing their checksum were skipped");
                LOG.error("Journal damaged: entries failing their checksum (a changed byte): {}, at indexes {}; skipped. A " +
                    "skipped ACCEPTED entry leaves its request unknown to this node (its connector resubmits it); a skipped " +
                    "FORWARDED, COMPLETED or REJECTED entry leaves its request as it was before (re-forwarded as a possible " +
                    "duplicate; card management deduplicates; without a journaled forward it counts one attempt). " +
                    "`chukei journal verify` lists them", replayer.damagedEntries(),
                    replayer.firstDamagedIndexes());
            }
            checkKeys(replayer.firstSealedIndexByKey());
            final long lastIndex = Math.max(checkpointIndex, replayer.lastIndex());
            if (lastIndex >= 0 && indexedLast > lastIndex)
            {
                forwardsMayBeMissing.add("entries after index " + Long.toHexString(lastIndex) + " are unreadable");
                // A damaged entry header: the reader stops without an error; the queue's index still names what follows.
                LOG.error("Journal damaged: reading stops after index {} but the queue's index names entries up to {}: " +
                    "entries {}..{} are unreadable (a damaged entry header); requests accepted there and not finished are " +
                    "unknown to this node: their connectors resubmit them and card management deduplicates. " +
                    "`chukei journal verify` lists the damage", Long.toHexString(lastIndex), Long.toHexString(indexedLast),
                    Long.toHexString(lastIndex + 1), Long.toHexString(indexedLast));
            }
            final long replayedNs = System.nanoTime();
            List<PendingRequest> pending = pendingOf(requests);
            if (!forwardsMayBeMissing.isEmpty())
            {
                final long unforwarded = pending.stream().filter(p -> p.forwardAttempts() == 0).count();
                // Its FORWARDED entry may be among those lost: one attempt is counted, so it is never answered as
                // "nothing applied".
                pending = pending.stream().map(p -> p.forwardAttempts() > 0 ? p : new PendingRequest(p.scope(), p.idHi(),
                    p.idLo(), p.acceptedIndex(), p.deadlineEpochMs(), p.priority(), 1, p.fingerprint(), p.outcomeUnknown()))
                    .toList();
                LOG.warn("Journal may be missing FORWARDED entries: {}. The {} pending requests without a journaled " +
                    "forward are taken as possibly forwarded: forwarded again as possible duplicates, and past their " +
                    "deadline OUTCOME_UNKNOWN (card management asked for its verdict), never DEADLINE_EXCEEDED",
                    String.join("; ", forwardsMayBeMissing), unforwarded);
            }
            LOG.info("Recovery phases: checkpoint load + replay {} ms, pending list {} ms",
                (replayedNs - startNs) / 1_000_000, (System.nanoTime() - replayedNs) / 1_000_000);
            final boolean fromCheckpoint = checkpointIndex >= 0 || loaded != null && replayer.lastIndex() >= 0 &&
                loaded.coveredIndex() < 0;
            if (checkpointer == null && !config.readOnly())
            {
                checkpointer = new Checkpointer(queue, config.directory(), new Retention(cycleFiles, config.retentionDays()),
                    capacity, config.checkpointInterval().toNanos());
            }
            final RecoveredState state = new RecoveredState(requests, pending, lastIndex, fromCheckpoint, checkpointIndex,
                replayed, System.nanoTime() - startNs);
            LOG.info("Journal recovered in {} ms: {} requests known, {} pending, {} entries replayed after checkpoint index {}",
                state.elapsedNs() / 1_000_000, requests.size(), pending.size(), replayed, checkpointIndex);
            return state;
        }
    }

    /**
     * Refuses to start on a key ring that cannot open what the journal holds: for every key id that sealed a
     * replayed entry, the first such entry is opened (without a key ring at all, only a warning). A missing or different key would otherwise surface only
     * when a pending request is forwarded again or a resend is answered.
     */
    private void checkKeys(final org.agrona.collections.Long2LongHashMap firstSealedIndexByKey)
    {
        if (sealer == null)
        {
            if (!firstSealedIndexByKey.isEmpty())
            {
                // A tool that needs only the request table (e.g. the cluster consistency check) may do without keys.
                LOG.warn("Journal in {} holds sealed entries (key ids {}) and was opened without keys: their personal " +
                    "part cannot be read", config.directory(), firstSealedIndexByKey.keySet());
            }
            return;
        }
        final org.agrona.collections.Long2LongHashMap.EntryIterator entries = firstSealedIndexByKey.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final long index = entries.getLongValue();
            final ExcerptTailer tailer = readers.get();
            if (!tailer.moveToIndex(index))
            {
                continue;
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (dc.isPresent())
                {
                    try
                    {
                        sealedEntries.clearView(dc.wire().bytes(), index);
                    }
                    catch (final SealedEntryException ex)
                    {
                        throw new IllegalStateException("Journal in " + config.directory() + " cannot be read with the " +
                            "configured keys: " + ex.getMessage(), ex);
                    }
                }
            }
        }
    }

    /**
     * Writes a checkpoint now (catching up with the journal first) and applies retention; returns the index it
     * covers. The checkpointer does this every interval on its own; this is for shutdown hooks and tests.
     */
    public synchronized long checkpoint()
    {
        if (checkpointer == null)
        {
            throw new IllegalStateException(
                "checkpoint: no checkpointer (expected: recover() called first, not read-only, journal not off)");
        }
        return checkpointer.checkpointNow();
    }

    /** Reads the ACCEPTED entry at {@code index} into {@code sink}; false if there is none there. */
    public boolean readAccepted(final long index, final AcceptedView sink)
    {
        return readEntry(index, JournalEventType.ACCEPTED, (bytes, base) -> fillAccepted(bytes, base, index, sink));
    }

    private static void fillAccepted(final Bytes<?> bytes, final long base, final long index, final AcceptedView sink)
    {
        sink.index = index;
        sink.timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
        sink.idHi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
        sink.idLo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
        sink.nodeId = bytes.readInt(base + JournalCodec.ACCEPTED_NODE_ID);
        sink.connectionId = bytes.readLong(base + JournalCodec.ACCEPTED_CONNECTION_ID);
        JournalCodec.readMunicipality(bytes, base, sink.municipality);
        sink.priority = bytes.readByte(base + JournalCodec.ACCEPTED_PRIORITY);
        sink.deadlineEpochMs = bytes.readLong(base + JournalCodec.ACCEPTED_DEADLINE);
        sink.fingerprint = bytes.readLong(base + JournalCodec.ACCEPTED_FINGERPRINT);
        sink.submitLength = JournalCodec.readInto(bytes, base + JournalCodec.ACCEPTED_SUBMIT,
            bytes.readInt(base + JournalCodec.ACCEPTED_SUBMIT_LENGTH), sink.submit);
    }

    /** Reads the COMPLETED entry at {@code index} into {@code sink} (to answer a resend); false if there is none. */
    public boolean readCompleted(final long index, final CompletedView sink)
    {
        return readEntry(index, JournalEventType.COMPLETED, (bytes, base) ->
        {
            sink.index = index;
            sink.timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
            sink.idHi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
            sink.idLo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
            sink.status = bytes.readByte(base + JournalCodec.COMPLETED_STATUS);
            sink.upstreamCode = bytes.readInt(base + JournalCodec.COMPLETED_UPSTREAM_CODE);
            sink.duplicate = bytes.readByte(base + JournalCodec.COMPLETED_DUPLICATE) != 0;
            final long detailAt = base + JournalCodec.COMPLETED_DETAIL_LENGTH + 4;
            sink.detailLength = JournalCodec.readInto(bytes, detailAt,
                bytes.readInt(base + JournalCodec.COMPLETED_DETAIL_LENGTH), sink.detail);
            final long payloadLengthAt = detailAt + sink.detailLength;
            sink.payloadLength = JournalCodec.readInto(bytes, payloadLengthAt + 4, bytes.readInt(payloadLengthAt),
                sink.payload);
        });
    }

    /** Moves this thread's reader to {@code index} and, if an entry of {@code type} is there, lets {@code fill} read it. */
    private boolean readEntry(final long index, final JournalEventType type, final EntryReader fill)
    {
        if (journalOff)
        {
            return false;
        }
        final ExcerptTailer tailer = readers.get();
        if (!tailer.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final long base = bytes.readPosition();
            if (bytes.readByte(base) != type.code())
            {
                return false;
            }
            if (EntryChecksum.damaged(bytes, base))
            {
                // A changed byte in an entry a checkpoint covers (recovery never replayed it): nothing of it is
                // forwarded or answered, as for a seal that fails.
                final long failures = readFailures.incrementAndGet();
                if (Long.bitCount(failures) == 1)
                {
                    LOG.error("Journal read of {} at index {} failed ({} failures so far): the entry fails its checksum " +
                        "(a changed byte); `chukei journal verify` lists it", type, Long.toHexString(index), failures);
                }
                return false;
            }
            final Bytes<?> clear;
            try
            {
                clear = sealedEntries.clearView(bytes, index);
            }
            catch (final SealedEntryException ex)
            {
                final long failures = readFailures.incrementAndGet();
                if (Long.bitCount(failures) == 1)
                {
                    LOG.error("Journal read of {} failed ({} failures so far): {}", type, failures, ex.getMessage());
                }
                return false;
            }
            fill.read(clear, clear.readPosition());
            return true;
        }
    }

    /** The version new ACCEPTED, COMPLETED and REJECTED entries get: sealed when there is a key ring. */
    private byte version()
    {
        return (byte)((sealer == null ? JournalCodec.VERSION : JournalCodec.SEALED_VERSION) | JournalCodec.CHECKSUMMED);
    }

    /** Reads one entry's fields from {@code bytes}, the entry starting at {@code base}. */
    @FunctionalInterface
    private interface EntryReader
    {
        void read(Bytes<?> bytes, long base);
    }

    /** Every entry of one request, in journal order (a full scan: for tools, not for the hot path). */
    public List<JournalEvent> trace(final long idHi, final long idLo)
    {
        final List<JournalEvent> events = new ArrayList<>();
        forEachEntry((bytes, base, index) ->
        {
            if (bytes.readLong(base + JournalCodec.ID_HI_OFFSET) == idHi &&
                bytes.readLong(base + JournalCodec.ID_LO_OFFSET) == idLo)
            {
                final JournalEvent event = traceEvent(bytes, base, index);
                if (event != null)
                {
                    events.add(event);
                }
            }
        });
        return events;
    }

    /**
     * Every entry from the oldest on, as the facts tools and the batch account need ({@link JournalFact}: one reused
     * object, no allocation per entry, no keys needed — batch fields are in the clear part of a sealed ACCEPTED).
     * A sequential pass; {@code visitor} must copy what it keeps.
     */
    public void forEachFact(final java.util.function.Consumer<JournalFact> visitor)
    {
        final JournalFact fact = new JournalFact();
        forEachEntry((bytes, base, index) ->
        {
            if (fact.read(bytes, base, index))
            {
                visitor.accept(fact);
            }
        });
    }

    /**
     * Every request entry's clear facts, oldest first, in one sequential pass, without opening sealed parts or
     * allocating per entry: for reconciliation ({@link RequestFacts}, which says which entries it hands on).
     */
    public void forEachRequestFact(final java.util.function.Consumer<RequestFacts> sink)
    {
        final RequestFacts facts = new RequestFacts();
        forEachEntry((bytes, base, index) ->
        {
            if (facts.read(bytes, base))
            {
                sink.accept(facts);
            }
        });
    }

    /** One entry met by {@link #forEachEntry}: its bytes, where it starts, its index. */
    @FunctionalInterface
    private interface EntryVisitor
    {
        void visit(Bytes<?> bytes, long base, long index);
    }

    /**
     * Every entry from the oldest on, one sequential pass (tools only; nothing when the journal is off), without the
     * entries that fail their checksum: nothing of a changed entry is trusted (a tool would report a request id that
     * was never sent). How many were left out is logged once per pass.
     */
    private void forEachEntry(final EntryVisitor visitor)
    {
        final long[] damaged = new long[1];
        forEachEntryAsWritten((bytes, base, index) ->
        {
            if (EntryChecksum.damaged(bytes, base))
            {
                damaged[0]++;
                return;
            }
            visitor.visit(bytes, base, index);
        });
        if (damaged[0] > 0)
        {
            damagedLeftOut.addAndGet(damaged[0]);
            LOG.warn("Journal in {}: {} entries failing their checksum (a changed byte) left out; `chukei journal verify` " +
                "lists them", config.directory(), damaged[0]);
        }
    }

    /** Entries the tools' passes ({@link #forEachRequestFact} and the like) left out for failing their checksum. */
    public long damagedEntriesLeftOut()
    {
        return damagedLeftOut.get();
    }

    /** As {@link #forEachEntry}, every entry as it is, damaged or not ({@link #verifyEntries}). */
    private void forEachEntryAsWritten(final EntryVisitor visitor)
    {
        if (journalOff)
        {
            return;
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    visitor.visit(bytes, bytes.readPosition(), dc.index());
                }
            }
        }
    }

    /**
     * The newest entries written at or after {@code fromEpochMs}, at most {@code max}, oldest first: read backwards
     * from the end, so the cost is the window's, not the journal's (evidence bundles). Readable form only: submit
     * bytes and payloads as sizes, digit runs masked ({@link JournalEvent}).
     */
    public List<JournalEvent> entriesSince(final long fromEpochMs, final int max)
    {
        final List<JournalEvent> events = new ArrayList<>();
        if (journalOff)
        {
            return events;
        }
        final long fromNs = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(fromEpochMs);
        try (ExcerptTailer tailer = queue.createTailer().direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD))
        {
            tailer.toEnd();
            while (events.size() < max)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long base = bytes.readPosition();
                    if (EntryChecksum.damaged(bytes, base))
                    {
                        continue;
                    }
                    final long timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
                    if (timestampNs < fromNs - ORDER_SLACK_NS)
                    {
                        break;
                    }
                    if (timestampNs < fromNs)
                    {
                        // Inside the slack: an older entry, but a newer one may still lie beyond it (see write).
                        continue;
                    }
                    final JournalEvent event = traceEvent(bytes, base, dc.index());
                    if (event != null)
                    {
                        events.add(event);
                    }
                }
            }
        }
        java.util.Collections.reverse(events);
        return events;
    }

    /**
     * Every entry written in [{@code fromNs}, {@code toNs}) of the given types, in journal order, without bodies (one
     * sequential pass from the start: for tools such as replay, not the hot path).
     */
    public List<EntryRef> entryRefs(final long fromNs, final long toNs, final java.util.Set<JournalEventType> types)
    {
        final List<EntryRef> refs = new ArrayList<>();
        forEachEntry((bytes, base, index) ->
        {
            final long timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
            final JournalEventType type = JournalEventType.of(bytes.readByte(base + JournalCodec.TYPE_OFFSET));
            if (timestampNs >= fromNs && timestampNs < toNs && type != null && types.contains(type))
            {
                refs.add(new EntryRef(index, type, timestampNs, bytes.readLong(base + JournalCodec.ID_HI_OFFSET),
                    bytes.readLong(base + JournalCodec.ID_LO_OFFSET),
                    type == JournalEventType.REJECTED ? bytes.readInt(base + JournalCodec.REJECTED_ERROR_CODE) : 0));
            }
        });
        return refs;
    }

    /**
     * Every entry written in [{@code fromNs}, {@code toNs}) in readable, masked form ({@link JournalEvent}), oldest first,
     * handed to {@code sink} one at a time (a sequential pass: for tools; memory stays flat on any window).
     */
    public void events(final long fromNs, final long toNs, final java.util.function.Consumer<JournalEvent> sink)
    {
        forEachEntry((bytes, base, index) ->
        {
            final long timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
            if (timestampNs >= fromNs && timestampNs < toNs)
            {
                final JournalEvent event = traceEvent(bytes, base, index);
                if (event != null)
                {
                    sink.accept(event);
                }
            }
        });
    }

    /** One entry for people: opened if sealed (naming the key), or saying why it could not be opened. */
    private JournalEvent traceEvent(final Bytes<?> bytes, final long base, final long index)
    {
        final boolean sealed = SealedEntries.isSealed(bytes, base);
        final String key = sealed ? " key=" + SealedEntries.keyIdOf(bytes, base) : "";
        try
        {
            final JournalEvent event = JournalEventFormatter.format(sealedEntries.clearView(bytes, index), index);
            return event == null ? null : new JournalEvent(event.index(), event.type(), event.timestampNs(), event.idHi(),
                event.idLo(), event.summary() + key);
        }
        catch (final SealedEntryException ex)
        {
            return new JournalEvent(index, JournalEventType.of(bytes.readByte(base + JournalCodec.TYPE_OFFSET)),
                bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET), bytes.readLong(base + JournalCodec.ID_HI_OFFSET),
                bytes.readLong(base + JournalCodec.ID_LO_OFFSET), "unreadable: " + ex.getMessage());
        }
    }

    /**
     * Every entry checked (a full scan, for {@code chukei journal verify}): a known type and version, readable fields,
     * a sealed part that authenticates (when opened with keys), and reading that reaches the last index the queue
     * names, and entries up to the one the checkpoint covers. Returns the problems found, empty when none;
     * {@code counts[0]} gets the entries read, {@code counts[1]} (when there) the sealed ones not checked for want of keys.
     */
    public List<String> verifyEntries(final long[] counts)
    {
        final List<String> problems = new ArrayList<>();
        if (journalOff)
        {
            return problems;
        }
        // Read before the scan: a node writing beside this tool checkpoints only entries written before, all scanned.
        final long covered = CheckpointFile.coveredIndexOf(config.directory());
        final long[] last = {-1};
        forEachEntryAsWritten((bytes, base, index) ->
        {
            counts[0]++;
            last[0] = index;
            final JournalEventType type = JournalEventType.of(bytes.readByte(base + JournalCodec.TYPE_OFFSET));
            if (EntryChecksum.damaged(bytes, base))
            {
                problems.add("index " + Long.toHexString(index) + ": checksum mismatch (a changed byte); recovery skips it");
                return;
            }
            final int version = JournalCodec.version(bytes, base);
            if (type == null || version < 0 || version > JournalCodec.SEALED_VERSION)
            {
                problems.add("index " + Long.toHexString(index) + ": unknown type " + bytes.readByte(base) + " or version " +
                    version + " (a changed byte, or a newer writer)");
                return;
            }
            try
            {
                if (sealer != null || !SealedEntries.isSealed(bytes, base))
                {
                    JournalEventFormatter.format(sealedEntries.clearView(bytes, index), index);
                }
                else if (counts.length > 1)
                {
                    counts[1]++;
                }
            }
            catch (final SealedEntryException ex)
            {
                problems.add("index " + Long.toHexString(index) + " (" + type + "): sealed part does not authenticate: " +
                    ex.getMessage());
            }
            catch (final RuntimeException ex)
            {
                problems.add("index " + Long.toHexString(index) + " (" + type + "): malformed: " + ex);
            }
        });
        // No cycle file at all: nothing is indexed (Chronicle's lastIndex asserts on an empty directory).
        final long indexedLast = hasCycleFiles() ? queue.lastIndex() : -1;
        if (indexedLast > last[0])
        {
            problems.add("reading stops after index " + Long.toHexString(last[0]) + " but the queue's index names entries up to " +
                Long.toHexString(indexedLast) + ": entries " + Long.toHexString(last[0] + 1) + ".." +
                Long.toHexString(indexedLast) + " unreadable (a damaged entry header)");
        }
        // The checkpoint was written from entries this journal held: a journal ending before it lost its newest
        // entries (a deleted or cut cycle file, entries removed), which nothing in the files left would show.
        if (covered >= 0 && covered > Math.max(last[0], indexedLast))
        {
            problems.add("the checkpoint (" + CheckpointFile.FILE_NAME + ") covers entries up to index " +
                Long.toHexString(covered) + " but the journal ends " + (last[0] < 0 ? "empty" : "at index " +
                Long.toHexString(last[0])) + ": its newest entries are missing (a deleted or cut cycle file, or entries " +
                "removed)");
        }
        return problems;
    }

    private boolean hasCycleFiles()
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(config.directory()))
        {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".cq4"));
        }
        catch (final java.io.IOException ex)
        {
            return true;
        }
    }

    /** Entries per type (a full scan), index range, cycle files and bytes on disk. */
    public JournalStats stats()
    {
        if (journalOff)
        {
            return new JournalStats(Map.of(), 0, -1, -1, 0, 0, 0);
        }
        final long[] counts = new long[256];
        long entryBytes = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    counts[bytes.readByte(bytes.readPosition()) & 0xFF]++;
                    entryBytes += 4 + bytes.readRemaining();
                }
            }
        }
        final Map<JournalEventType, Long> byType = new EnumMap<>(JournalEventType.class);
        long unknown = 0;
        for (int code = 0; code < counts.length; code++)
        {
            final JournalEventType type = JournalEventType.of((byte)code);
            if (type != null)
            {
                byType.put(type, counts[code]);
            }
            else
            {
                unknown += counts[code];
            }
        }
        try
        {
            final List<Path> cycles = cycleFiles.list();
            long bytesOnDisk = 0;
            try (Stream<Path> files = Files.list(config.directory()))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    bytesOnDisk += Files.size(file);
                }
            }
            final long first = queue.firstIndex();
            return new JournalStats(byType, unknown, first == Long.MAX_VALUE ? -1 : first, queue.lastIndex(), cycles.size(),
                bytesOnDisk, entryBytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Cannot list journal directory " + config.directory(), ex);
        }
    }

    /**
     * Stops the checkpointer (writing a final checkpoint) and the group-commit thread (after a final sync). Once: a
     * second call does nothing (its threads would read a closed queue).
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (space != null)
        {
            space.close();
        }
        if (checkpointer != null)
        {
            checkpointer.close();
            checkpointer = null;
        }
        if (groupCommitter != null)
        {
            groupCommitter.close();
        }
        if (writebackCheck != null)
        {
            writebackCheck.close();
        }
        if (queue != null)
        {
            queue.close();
        }
        if (bootId != null)
        {
            try
            {
                // Only now: a node that dies before a clean close after a restart of the machine must find it again.
                BootId.record(config.directory(), bootId);
            }
            catch (final IOException ex)
            {
                LOG.warn("Cannot record the boot id in {}: {}", config.directory(), ex.toString());
            }
            bootId = null;
        }
    }

    /**
     * Where the clear fields of an entry that may be sealed go, its header already written there: the entry itself, or
     * with {@code sealing} the sealer's clear part, which {@link EntrySealer#seal} writes first and uses as the AAD.
     */
    private Bytes<?> clearFields(final Bytes<?> entry, final EntrySealer.Context sealing, final JournalEventType type,
        final long idHi, final long idLo)
    {
        final Bytes<?> clearOut = sealing == null ? entry : sealing.clearPart();
        JournalCodec.writeHeader(clearOut, type, version(), clock.currentTimeNanos(), idHi, idLo);
        return clearOut;
    }

    /**
     * Writes the entry composed in this thread's scratch ({@link EntryChecksum#begin}) as one document of the queue.
     * Every append composes its entry, seals its personal part too, before this: only the copy and its checksum
     * happen under the queue's write lock, which every appending thread takes and waits for by spinning and
     * yielding. So an entry's timestamp is when it was composed: entries written by two threads at once may be out of
     * timestamp order by the wait for the lock (usually microseconds; longer if the thread is preempted meanwhile),
     * never out of index order. {@link #entriesSince} reads {@link #ORDER_SLACK_NS} further back for this.
     */
    private long write(final Bytes<?> entry, final long startNs)
    {
        final ExcerptAppender appender = ThreadLocalAppender.acquireThreadLocalAppender(queue);
        try (DocumentContext dc = appender.writingDocument())
        {
            try
            {
                EntryChecksum.finish(entry, dc.wire().bytes());
            }
            catch (final RuntimeException | InternalError ex)
            {
                // Nothing of a failed entry reaches the queue, not even an empty document.
                dc.rollbackOnClose();
                throw ex;
            }
        }
        return appended(appender, startNs);
    }

    private long appended(final ExcerptAppender appender, final long startNs)
    {
        final long index = appender.lastIndexAppended();
        appendLatency.record(System.nanoTime() - startNs);
        if (space != null)
        {
            // The appender's bytes are the mapped cycle file: its write position is a file offset.
            space.wrote(appender.cycle(), appender.wire().bytes().writePosition());
        }
        if (groupCommitter != null)
        {
            groupCommitter.appended(index);
        }
        return index;
    }

    /** An entry that finishes accepted work found less than the margin allocated ahead: not written. */
    private long noRoom(final JournalEventType type)
    {
        final long failures = appendFailures.incrementAndGet();
        if (Long.bitCount(failures) == 1)
        {
            LOG.error("Journal append of {} refused: less than {} bytes allocated ahead on a full disk ({} failures so far)",
                type, JournalSpace.MARGIN_BYTES, failures);
        }
        return APPEND_FAILED;
    }

    /**
     * {@code InternalError} too: a write into a mapped page the file system cannot back (SIGBUS) arrives as one. The
     * space guard exists so this never happens; if it does, the entry was not written and is reported so.
     */
    private long failed(final JournalEventType type, final Throwable ex)
    {
        final long failures = appendFailures.incrementAndGet();
        // Log the first failure in full, then one line per power of two, so a dead disk cannot flood the log.
        if (Long.bitCount(failures) == 1)
        {
            LOG.error("Journal append of {} failed ({} failures so far)", type, failures, ex);
        }
        return APPEND_FAILED;
    }

    /** Pending requests from the table alone: no journal reads, so restart time does not grow with them. */
    private static List<PendingRequest> pendingOf(final RequestIndex requests)
    {
        final List<PendingRequest> pending = new ArrayList<>();
        // Slot order, one pass over the arrays; the sort below restores acceptance order.
        for (int slot = 0; slot < requests.slots(); slot++)
        {
            if (RequestIndex.isPending(requests.state(slot)))
            {
                pending.add(new PendingRequest(requests.scope(slot), requests.idHi(slot), requests.idLo(slot), requests.acceptedIndex(slot),
                    requests.deadlineEpochMs(slot), requests.priority(slot), requests.forwardAttempts(slot),
                    requests.fingerprint(slot), RequestIndex.isOutcomeUnknown(requests.state(slot))));
            }
        }
        pending.sort(Comparator.comparingLong(PendingRequest::acceptedIndex));
        return pending;
    }
}
