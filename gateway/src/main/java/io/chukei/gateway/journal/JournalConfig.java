package io.chukei.gateway.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/** Everything the journal needs to open: built with {@link #builder()}, checked by {@link Builder#build()}. */
public final class JournalConfig
{
    private final Path directory;
    private final JournalDurability durability;
    private final int nodeId;
    private final int retentionDays;
    private final RollCycle rollCycle;
    private final TimeProvider timeProvider;
    private final Duration checkpointInterval;
    private final int requestIndexCapacity;
    private final Duration maxSyncDelay;
    private final Duration writebackCheckInterval;
    private final boolean readOnly;
    private final JournalKeys keys;
    private final long blockSize;

    /** Default of {@link #preallocateBytes()}: 16 MiB, tens of thousands of accepted requests' remaining entries. */
    public static final long DEFAULT_PREALLOCATE_BYTES = 16L << 20;
    public static final long MIN_PREALLOCATE_BYTES = 1L << 20;
    public static final long MAX_PREALLOCATE_BYTES = 1L << 30;

    private final long preallocateBytes;

    private JournalConfig(final Builder builder)
    {
        directory = builder.directory;
        durability = builder.durability;
        nodeId = builder.nodeId;
        retentionDays = builder.retentionDays;
        rollCycle = builder.rollCycle;
        timeProvider = builder.timeProvider;
        checkpointInterval = builder.checkpointInterval;
        requestIndexCapacity = builder.requestIndexCapacity;
        maxSyncDelay = builder.maxSyncDelay;
        writebackCheckInterval = builder.writebackCheckInterval;
        readOnly = builder.readOnly;
        keys = builder.keys;
        blockSize = builder.blockSize;
        preallocateBytes = builder.preallocateBytes;
    }

    /**
     * Disk kept allocated ahead of the write position so a full disk refuses new requests instead of faulting a write
     * into the mapped file ({@link JournalSpace}); 0: not guarded.
     */
    public long preallocateBytes()
    {
        return preallocateBytes;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Directory of the queue's cycle files and the checkpoint (required, but neither created nor used when OFF). */
    public Path directory()
    {
        return directory;
    }

    public JournalDurability durability()
    {
        return durability;
    }

    public int nodeId()
    {
        return nodeId;
    }

    /** Whole days of history kept before the current cycle; older cycle files are deleted. */
    public int retentionDays()
    {
        return retentionDays;
    }

    /** Chronicle's block (mapped chunk) size; 0 = Chronicle's default. Set small only by tests, to cross chunks often. */
    long blockSize()
    {
        return blockSize;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** Clock for event timestamps and for the queue's roll cycles. */
    public TimeProvider timeProvider()
    {
        return timeProvider;
    }

    /** How often the background checkpointer writes a checkpoint; bounds the tail replayed on restart. */
    public Duration checkpointInterval()
    {
        return checkpointInterval;
    }

    /** Entries the request index keeps before it evicts the oldest finished ones. */
    public int requestIndexCapacity()
    {
        return requestIndexCapacity;
    }

    /** In SYNC mode, the longest an appended entry nobody waits for stays unsynced. */
    public Duration maxSyncDelay()
    {
        return maxSyncDelay;
    }

    /**
     * In PROCESS mode, how often the kernel is asked whether writing the journal back to the disk failed
     * ({@link Duration#ZERO}: never; then a disk that fails under the journal goes unnoticed until the node restarts).
     */
    public Duration writebackCheckInterval()
    {
        return writebackCheckInterval;
    }

    /** Opened for reading only (the command line): appends fail, no background threads. */
    public boolean readOnly()
    {
        return readOnly;
    }

    /**
     * The key ring that seals the personal part of new entries and opens sealed ones; null: new entries are
     * written in clear and sealed ones cannot be read (tests and benchmark baselines only; the node always has one).
     */
    public JournalKeys keys()
    {
        return keys;
    }

    public Builder toBuilder()
    {
        return new Builder()
            .directory(directory)
            .durability(durability)
            .nodeId(nodeId)
            .retentionDays(retentionDays)
            .rollCycle(rollCycle)
            .timeProvider(timeProvider)
            .checkpointInterval(checkpointInterval)
            .requestIndexCapacity(requestIndexCapacity)
            .maxSyncDelay(maxSyncDelay)
            .writebackCheckInterval(writebackCheckInterval)
            .readOnly(readOnly)
            .keys(keys)
            .preallocateBytes(preallocateBytes);
    }

    @Override
    public String toString()
    {
        return "JournalConfig{directory=" + directory + ", durability=" + durability + ", nodeId=" + nodeId +
            ", retentionDays=" + retentionDays + ", rollCycle=" + rollCycle + ", checkpointInterval=" + checkpointInterval +
            ", requestIndexCapacity=" + requestIndexCapacity + ", maxSyncDelay=" + maxSyncDelay +
            ", writebackCheckInterval=" + writebackCheckInterval + ", readOnly=" + readOnly +
            ", preallocateBytes=" + preallocateBytes + ", keys=" + describeKeys() + '}';
    }

    /** Read-only tools without a key ring read a sealed journal's clear parts only: "in clear" misled auditors. */
    private String describeKeys()
    {
        if (keys != null)
        {
            return keys.file() + " ids " + keys.ids();
        }
        return readOnly ? "none (sealed parts are not opened)" : "none (new entries are written in clear)";
    }

    /** Defaults: PROCESS durability, 7 days' retention, daily cycles, system clock, a checkpoint every 30 s. */
    public static final class Builder
    {
        private long preallocateBytes = DEFAULT_PREALLOCATE_BYTES;
        private Path directory;
        private JournalDurability durability = JournalDurability.PROCESS;
        private int nodeId = 1;
        private int retentionDays = 7;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        private TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
        private Duration checkpointInterval = Duration.ofSeconds(30);
        private int requestIndexCapacity = 1_000_000;
        private Duration maxSyncDelay = Duration.ofMillis(10);
        private Duration writebackCheckInterval = Duration.ofSeconds(1);
        private boolean readOnly;
        private JournalKeys keys;
        private long blockSize;

        private Builder()
        {
        }

        public Builder directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }

        public Builder durability(final JournalDurability durability)
        {
            this.durability = durability;
            return this;
        }

        public Builder nodeId(final int nodeId)
        {
            this.nodeId = nodeId;
            return this;
        }

        public Builder retentionDays(final int retentionDays)
        {
            this.retentionDays = retentionDays;
            return this;
        }

        public Builder rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        public Builder timeProvider(final TimeProvider timeProvider)
        {
            this.timeProvider = timeProvider;
            return this;
        }

        public Builder checkpointInterval(final Duration checkpointInterval)
        {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder requestIndexCapacity(final int requestIndexCapacity)
        {
            this.requestIndexCapacity = requestIndexCapacity;
            return this;
        }

        public Builder maxSyncDelay(final Duration maxSyncDelay)
        {
            this.maxSyncDelay = maxSyncDelay;
            return this;
        }

        public Builder writebackCheckInterval(final Duration writebackCheckInterval)
        {
            this.writebackCheckInterval = writebackCheckInterval;
            return this;
        }

        public Builder readOnly(final boolean readOnly)
        {
            this.readOnly = readOnly;
            return this;
        }

        public Builder keys(final JournalKeys keys)
        {
            this.keys = keys;
            return this;
        }

        /** For tests: a small block size makes entries straddle the queue's mapped chunks often. */
        Builder blockSize(final long blockSize)
        {
            this.blockSize = blockSize;
            return this;
        }

        /** Disk allocated ahead of the write position (0: not guarded); see {@link JournalConfig#preallocateBytes()}. */
        public Builder preallocateBytes(final long preallocateBytes)
        {
            this.preallocateBytes = preallocateBytes;
            return this;
        }

        /** Checks every field and returns the config; throws IllegalArgumentException naming the first bad value. */
        public JournalConfig build()
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(durability, "durability");
            Objects.requireNonNull(rollCycle, "rollCycle");
            Objects.requireNonNull(timeProvider, "timeProvider");
            Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            Objects.requireNonNull(maxSyncDelay, "maxSyncDelay");
            Objects.requireNonNull(writebackCheckInterval, "writebackCheckInterval");
            if (nodeId < 0 || nodeId > 0xFFFF)
            {
                throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: 0..65535)");
            }
            if (retentionDays < 1)
            {
                throw new IllegalArgumentException("retentionDays: " + retentionDays + " (expected: >= 1)");
            }
            if (rollCycle.lengthInMillis() != Duration.ofDays(1).toMillis())
            {
                throw new IllegalArgumentException(
                    "rollCycle: " + rollCycle + " (expected: a daily cycle such as FAST_DAILY; retention counts days)");
            }
            if (checkpointInterval.isNegative() || checkpointInterval.isZero())
            {
                throw new IllegalArgumentException("checkpointInterval: " + checkpointInterval + " (expected: > 0)");
            }
            if (requestIndexCapacity < 16)
            {
                throw new IllegalArgumentException("requestIndexCapacity: " + requestIndexCapacity + " (expected: >= 16)");
            }
            if (maxSyncDelay.isNegative() || maxSyncDelay.isZero() || maxSyncDelay.compareTo(Duration.ofSeconds(1)) > 0)
            {
                throw new IllegalArgumentException("maxSyncDelay: " + maxSyncDelay + " (expected: > 0 and <= 1s)");
            }
            if (writebackCheckInterval.isNegative() || writebackCheckInterval.compareTo(Duration.ofMinutes(1)) > 0)
            {
                throw new IllegalArgumentException("writebackCheckInterval: " + writebackCheckInterval +
                    " (expected: 0 (off) .. 1 min)");
            }
            if (readOnly && durability != JournalDurability.PROCESS)
            {
                throw new IllegalArgumentException(
                    "durability: " + durability + " with readOnly (expected: PROCESS when readOnly)");
            }
            if (preallocateBytes != 0 && (preallocateBytes < MIN_PREALLOCATE_BYTES || preallocateBytes > MAX_PREALLOCATE_BYTES))
            {
                throw new IllegalArgumentException("preallocateBytes: " + preallocateBytes + " (expected: 0 or " +
                    MIN_PREALLOCATE_BYTES + ".." + MAX_PREALLOCATE_BYTES + ")");
            }
            return new JournalConfig(this);
        }
    }
}
