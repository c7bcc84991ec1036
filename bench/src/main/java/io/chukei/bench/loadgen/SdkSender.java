package io.chukei.bench.loadgen;

import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;

import java.util.List;

/**
 * Sends through the SDK: one {@link ConnectorClient} per municipality (with its failover, resends and local
 * deadlines), a {@link RequestTiming} per request completing from the client's futures. What a connector vendor's
 * code pays per request, and the only sender that can load a cluster.
 */
final class SdkSender implements RequestSender
{
    private final List<ConnectorClient> clientsByRank;
    private final RequestFactory requests;
    private final RunRecorders recorders;

    SdkSender(final List<ConnectorClient> clientsByRank, final int municipalities, final RequestFactory requests,
        final RunRecorders recorders)
    {
        if (clientsByRank.size() != municipalities)
        {
            throw new IllegalArgumentException("clientsByRank: " + clientsByRank.size() + " clients (expected: one per municipality, " +
                municipalities + ")");
        }
        this.clientsByRank = List.copyOf(clientsByRank);
        this.requests = requests;
        this.recorders = recorders;
    }

    @Override
    public void send(final long index, final int phase, final long intendedNs, final int rank, final int kindIndex,
        final OperationMix.Entry kind)
    {
        final RequestTiming timing = new RequestTiming(intendedNs, recorders, phase);
        final Submission submission = clientsByRank.get(rank).send(requests.create(kind, rank));
        submission.accepted().thenAccept(timing);
        submission.answer().whenComplete(timing);
    }
}
