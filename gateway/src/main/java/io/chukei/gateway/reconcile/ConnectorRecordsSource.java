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
    ConnectorRecordsSource OUTBOX = (directory, each) -> OutboxRecords.forEach(directory, record -> each.accept(
        new ConnectorRecord(record.requestId(), record.municipality(), record.batchId(), record.batchSequence(),
            record.batchSize(), record.submittedAtEpochMs(), record.finalAnswer())));

    void forEach(Path directory, Consumer<ConnectorRecord> each) throws IOException;
}
