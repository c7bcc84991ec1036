package io.chukei.protocol.client.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Reads a connector outbox offline (e.g. for {@code chukei reconcile --connector-records}), read-only. */
public final class OutboxRecords
{
    private OutboxRecords()
    {
    }

    /**
     * Streams one record per request id (its latest state) from an outbox directory, holding in memory only the
     * requests not yet answered at the point of the scan. Records of answered requests come in the order of their
     * answers, then those still unresolved in the order they were taken. An id the application submitted anew after
     * its final answer gives one record per final answer (the last is its latest state). Safe while a connector has
     * the outbox open (its newest entries may be missed).
     *
     * @throws IllegalArgumentException naming the directory when it is not an outbox (a wrong path: the caller's error)
     * @throws IOException naming the directory when it cannot be read
     */
    public static void forEach(final Path outboxDir, final Consumer<OutboxRecord> each) throws IOException
    {
        Objects.requireNonNull(outboxDir, "outboxDir");
        Objects.requireNonNull(each, "each");
        if (!Files.isDirectory(outboxDir))
        {
            throw new IllegalArgumentException("outbox " + outboxDir + ": not a directory (expected: a connector outbox " +
                "directory)");
        }
        if (!Files.isRegularFile(outboxDir.resolve(ConnectorOutbox.MARKER_FILE)))
        {
            throw new IllegalArgumentException("outbox " + outboxDir + ": no " + ConnectorOutbox.MARKER_FILE + " file " +
                "(expected: a directory a connector's ConnectorOutbox wrote)");
        }
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(outboxDir)
            .rollCycle(ConnectorOutbox.ROLL_CYCLE)
            .readOnly(true)
            .build())
        {
            OutboxScan.records(queue, each);
        }
        catch (final IllegalStateException ex)
        {
            throw new IOException("outbox " + outboxDir + ": " + ex.getMessage(), ex);
        }
    }
}
