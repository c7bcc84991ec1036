package io.chukei.protocol.client.outbox;

/** What an outbox append survives before the SDK sends the request it records. */
public enum OutboxDurability
{
    /**
     * In the memory-mapped file: survives a crash of the connector process ({@code kill -9}), not a crash of the
     * machine or a power cut (pages the OS had not written back are lost). The request is sent right after the append.
     */
    PROCESS,
    /**
     * Synced to storage first (fsync, group-committed by one thread for every request appended meanwhile): survives a
     * power cut. The request is sent only once the sync covering it has finished, which adds the sync time (about
     * 1 ms here) to each request's latency.
     */
    SYNC
}
