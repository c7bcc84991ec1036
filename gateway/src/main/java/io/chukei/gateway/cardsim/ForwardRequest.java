package io.chukei.gateway.cardsim;

import io.netty.channel.Channel;

import java.util.UUID;

/**
 * What the service needs of one Forward, copied out of the frame on the I/O thread (the
 * frame is released at once). The submit bytes are not kept: only the verdict the business
 * rules gave them.
 */
final class ForwardRequest
{
    final Channel channel;
    /** The endpoint the Forward came through: its stall holds the answer, its switches can fail it. */
    final UpstreamEndpoint endpoint;
    final UUID requestId;
    /** What the request is decided by: (municipality, request id). */
    final RequestKey key;
    final int nodeId;
    final String municipality;
    final short operationRaw;
    final int forwardAttempt;
    final Verdict verdict;
    /** The Submit's batch id, or {@link RecordFaults#NO_BATCH} outside a batch (for the drop-a-member fault). */
    final long batchId;
    /** Next Forward for the same request id that arrived while this one was queued or in service. */
    ForwardRequest nextWaiter;

    ForwardRequest(
        final Channel channel,
        final UpstreamEndpoint endpoint,
        final UUID requestId,
        final int nodeId,
        final String municipality,
        final short operationRaw,
        final int forwardAttempt,
        final Verdict verdict,
        final long batchId)
    {
        this.channel = channel;
        this.endpoint = endpoint;
        this.requestId = requestId;
        this.nodeId = nodeId;
        this.municipality = municipality;
        this.key = new RequestKey(municipality, requestId);
        this.operationRaw = operationRaw;
        this.forwardAttempt = forwardAttempt;
        this.verdict = verdict;
        this.batchId = batchId;
    }

    void addWaiter(final ForwardRequest waiter)
    {
        ForwardRequest last = this;
        while (last.nextWaiter != null)
        {
            last = last.nextWaiter;
        }
        last.nextWaiter = waiter;
    }
}
