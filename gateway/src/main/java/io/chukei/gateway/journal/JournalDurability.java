package io.chukei.gateway.journal;

import io.chukei.protocol.sbe.Durability;

/** What an appended entry survives once {@link Journal#whenDurable} has fired for it. */
public enum JournalDurability
{
    /** In the memory-mapped file: survives a crash of the relay process, not a power cut. */
    PROCESS(Durability.PROCESS),
    /** Synced to storage by the group-commit thread: survives a power cut. */
    SYNC(Durability.SYNC),
    /**
     * Not journaled at all: appends write nothing and are "durable" at once. For benchmarks only, to measure
     * what the journal costs; an Accepted promises nothing and a restart knows no earlier request.
     */
    OFF(Durability.NONE);

    private final Durability wire;

    JournalDurability(final Durability wire)
    {
        this.wire = wire;
    }

    /** The value the Accepted message carries. */
    public Durability toWire()
    {
        return wire;
    }
}
