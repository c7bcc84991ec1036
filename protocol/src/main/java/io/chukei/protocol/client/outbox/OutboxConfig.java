package io.chukei.protocol.client.outbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ConnectorOutbox}: defaults, setters, one {@link Builder#build()} that checks them.
 *
 * @param directory where the outbox keeps its files (created 0700; one outbox per directory, one process at a time)
 * @param durability what an append survives before the request is sent (default {@link OutboxDurability#PROCESS})
 * @param retention how long hourly cycle files are kept after their hour (default 24 h); a file that still holds
 *     an unresolved request is kept whatever its age
 * @param clock the time of entries and of the hourly roll (tests move it)
 */
public record OutboxConfig(Path directory, OutboxDurability durability, Duration retention, Clock clock)
{
    public OutboxConfig
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        if (retention.isNegative())
        {
            throw new IllegalArgumentException("retention: " + retention + " (expected: >= 0)");
        }
    }

    /** An outbox in {@code directory} with every default. */
    public static OutboxConfig of(final Path directory)
    {
        return builder(directory).build();
    }

    public static Builder builder(final Path directory)
    {
        return new Builder(directory);
    }

    /** Collects the settings; setters return the builder. */
    public static final class Builder
    {
        private final Path directory;
        private OutboxDurability durability = OutboxDurability.PROCESS;
        private Duration retention = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();

        private Builder(final Path directory)
        {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder durability(final OutboxDurability durability)
        {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder retention(final Duration retention)
        {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public Builder clock(final Clock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OutboxConfig build()
        {
            return new OutboxConfig(directory, durability, retention, clock);
        }
    }
}
