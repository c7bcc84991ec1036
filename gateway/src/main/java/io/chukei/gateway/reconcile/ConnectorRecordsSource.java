package io.chukei.gateway.reconcile;

import io.chukei.protocol.client.outbox.OutboxRecords;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a connector's records (its durable outbox directory), one {@link ConnectorRecord} per request id. The
 * implementation, {@link #OUTBOX}, wraps the SDK's {@code OutboxRecords.forEach}; tests may stand in for it.
 */
@FunctionalInterface
public interface ConnectorRecordsSource
{
    /** The SDK's outbox directory, read offline and streamed (an unreadable directory is refused, naming it). */
    ConnectorRecordsSource OUTBOX = (directory, each) ->
    {
        try
        {
            OutboxRecords.forEach(directory, record -> each.accept(new ConnectorRecord(record.requestId(),
                record.municipality(), record.batchId(), record.batchSequence(), record.batchSize(),
                record.submittedAtEpochMs(), record.finalAnswer())));
        }
        catch (final IllegalArgumentException ex)
        {
            // A path that is not an outbox is the command line's mistake: named with its option, exit 2.
            throw new IllegalArgumentException("--connector-records " + directory + ": " + ex.getMessage(), ex);
        }
    };

    void forEach(Path directory, Consumer<ConnectorRecord> each) throws IOException;
}
