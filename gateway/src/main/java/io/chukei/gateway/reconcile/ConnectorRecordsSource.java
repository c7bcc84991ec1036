package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a connector's records (its durable outbox directory), one {@link ConnectorRecord} per request id. The
 * implementation wraps the SDK's {@code OutboxRecords.forEach}; {@link #UNAVAILABLE} stands in where the build
 * has no outbox reader.
 */
@FunctionalInterface
public interface ConnectorRecordsSource
{
    /** Refuses: this build cannot read connector outboxes. */
    ConnectorRecordsSource UNAVAILABLE = (directory, each) ->
    {
        throw new IllegalArgumentException("--connector-records " + directory + ": this build cannot read connector " +
            "outboxes (expected: a build with the SDK's outbox, io.chukei.protocol.client.outbox)");
    };

    void forEach(Path directory, Consumer<ConnectorRecord> each) throws IOException;
}
