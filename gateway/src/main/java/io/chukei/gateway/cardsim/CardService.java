package io.chukei.gateway.cardsim;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The card-management core: deduplication, service slots, the FIFO of waiting Forwards,
 * the ledger and the stalls. One core serves every {@link UpstreamEndpoint}, so a request
 * decided through one endpoint is a duplicate through any other. A request is known by its
 * {@link RequestKey} (municipality, request id), never by the id alone. Everything here runs on one dedicated thread ({@code loop}),
 * so the state needs no locks; I/O threads hand work over with {@link #forward} and
 * {@link #heartbeat}, and answers go back with {@code writeAndFlush} (Netty moves the write
 * to the connection's own thread).
 *
 * <p>The exactly-once contract: a request key is decided once, when its first Forward
 * completes service; the decision (OK or REFUSED) is written to the ledger, then stored, then
 * answered. A Forward for a key that is queued or in service waits for that Forward and is
 * then answered as a duplicate; a Forward for a decided key is answered with the stored
 * outcome and duplicate=TRUE. A transient failure decides nothing.
 */
final class CardService
{
    private static final int OUTCOME_MAX_BODY = 256;
    private static final int HEARTBEAT_MAX_BODY = 64;
    private static final int FRAME_PREFIX = SofhFrame.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private final EventLoop loop;
    private final Ledger ledger;
    private final CardSimStats stats;
    private final CardSimFaults faults;
    private final RecordFaults recordFaults = new RecordFaults();
    /** Requests a record fault lost or dropped: no Forward of theirs is ever answered. */
    private final java.util.Set<RequestKey> silenced = new java.util.HashSet<>();
    /** Batches (municipality, batch id) that already lost a member to {@link RecordFaults.Kind#DROP_BATCH_MEMBER}. */
    private final java.util.Set<String> batchesDropped = new java.util.HashSet<>();
    private final ChannelGroup channels;
    private final long serviceTimeNs;
    private final long jitterNs;
    private final int concurrency;
    private final int maxQueued;
    private final SplittableRandom random;

    private final DecidedRequests decided;
    private final Map<RequestKey, ForwardRequest> pending = new HashMap<>();
    private final ArrayDeque<ForwardRequest> queue = new ArrayDeque<>();
    private final List<UpstreamEndpoint> endpoints;
    private final Stall globalStall;
    private int inService;
    private int heldTotal;

    private final FrameWriter writer = new FrameWriter();
    private final OutcomeEncoder outcome = new OutcomeEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();

    CardService(
        final EventLoop loop,
        final Ledger ledger,
        final DecidedRequests decided,
        final CardSimulatorConfig config,
        final CardSimStats stats)
    {
        this.loop = loop;
        this.ledger = ledger;
        this.decided = decided;
        this.stats = stats;
        this.faults = new CardSimFaults(this);
        this.channels = new DefaultChannelGroup("cardsim-upstream", loop);
        this.serviceTimeNs = TimeUnit.MILLISECONDS.toNanos(config.serviceTimeMs());
        this.jitterNs = TimeUnit.MILLISECONDS.toNanos(config.jitterMs());
        this.concurrency = config.concurrency();
        this.maxQueued = config.maxQueued();
        this.random = new SplittableRandom(config.randomSeed());
        final List<UpstreamEndpoint> list = new ArrayList<>(config.endpointCount());
        for (int i = 0; i < config.endpointCount(); i++)
        {
            list.add(new UpstreamEndpoint(i, this, stats.endpoint(i)));
        }
        this.endpoints = List.copyOf(list);
        this.globalStall = new Stall(endpoints);
    }

    EventLoop executor()
    {
        return loop;
    }

    List<UpstreamEndpoint> endpoints()
    {
        return endpoints;
    }

    UpstreamEndpoint endpoint(final int index)
    {
        return endpoints.get(UpstreamEndpoint.checkIndex(index, endpoints.size()));
    }

    Stall globalStall()
    {
        return globalStall;
    }

    CardSimFaults faults()
    {
        return faults;
    }

    RecordFaults recordFaults()
    {
        return recordFaults;
    }

    ChannelGroup channels()
    {
        return channels;
    }

    /** A new connection: tracked for stalls, and paused at once if a stall of its endpoint is in progress. */
    void register(final Channel channel, final UpstreamEndpoint endpoint)
    {
        loop.execute(() ->
        {
            channels.add(channel);
            endpoint.channels.add(channel);
            if (blocked(endpoint))
            {
                channel.config().setAutoRead(false);
            }
        });
    }

    void forward(final ForwardRequest request)
    {
        loop.execute(() -> onForward(request));
    }

    void heartbeat(final Channel channel, final UpstreamEndpoint endpoint)
    {
        loop.execute(() -> onHeartbeat(channel, endpoint));
    }

    private void onForward(final ForwardRequest request)
    {
        stats.received.incrementAndGet();
        request.endpoint.stats.received.incrementAndGet();
        final ForwardRequest first = pending.get(request.key);
        if (first != null)
        {
            // Same key already queued or in service: never a second application, wait for the first.
            first.addWaiter(request);
            return;
        }
        if (inService < concurrency)
        {
            pending.put(request.key, request);
            startService(request);
        }
        else if (queue.size() < maxQueued)
        {
            pending.put(request.key, request);
            queue.addLast(request);
            stats.queued = queue.size();
        }
        else
        {
            stats.transientFailures.incrementAndGet();
            answer(request, Verdict.QUEUE_FULL, false);
        }
    }

    private void startService(final ForwardRequest request)
    {
        inService++;
        stats.inService = inService;
        final long delayNs = serviceTimeNs(request);
        if (delayNs == 0)
        {
            loop.execute(() -> completeService(request));
        }
        else
        {
            loop.schedule(() -> completeService(request), delayNs, TimeUnit.NANOSECONDS);
        }
    }

    private long serviceTimeNs(final ForwardRequest request)
    {
        long delayNs = serviceTimeNs;
        if (jitterNs > 0)
        {
            delayNs += random.nextLong(jitterNs + 1);
        }
        delayNs += slowNs(faults.slowMs(), faults.slowFraction());
        final EndpointFaults endpointFaults = request.endpoint.faults;
        delayNs += slowNs(endpointFaults.slowMs(), endpointFaults.slowFraction());
        return delayNs;
    }

    private long slowNs(final long slowMs, final double fraction)
    {
        return slowMs > 0 && random.nextDouble() < fraction ? TimeUnit.MILLISECONDS.toNanos(slowMs) : 0;
    }

    /** A draw only when the rate is set, so runs with a fixed seed repeat as before endpoints had switches. */
    private boolean injectFailure(final double errorRate)
    {
        return errorRate > 0 && random.nextDouble() < errorRate;
    }

    private void completeService(final ForwardRequest request)
    {
        inService--;
        stats.inService = inService;
        pending.remove(request.key);
        // The endpoint the first Forward came through decides whether it fails; waiters share its fate.
        if (injectFailure(faults.errorRate()) || injectFailure(request.endpoint.faults.errorRate()))
        {
            answerAll(request, Verdict.INJECTED_FAILURE);
        }
        else
        {
            decide(request);
        }
        startQueued();
    }

    private void decide(final ForwardRequest request)
    {
        if (silenced.contains(request.key))
        {
            // Lost or dropped by a record fault: this Forward and its waiters go unanswered too.
            return;
        }
        final Verdict stored = decided.get(request.key);
        if (stored != null)
        {
            answerDuplicates(request, stored);
            return;
        }
        final Verdict verdict = faults.refuses(request.operationRaw) ? Verdict.OPERATION_REFUSED_BY_SWITCH : request.verdict;
        if (recordFaultTakes(request, verdict))
        {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        if (!ledger.applied(request.requestId, request.municipality, request.operationRaw, verdict, nowMs,
            request.nodeId, request.forwardAttempt))
        {
            // Not recorded means not applied: let the relay retry.
            answerAll(request, Verdict.LEDGER_UNAVAILABLE);
            return;
        }
        if (recordFaults.take(RecordFaults.Kind.LOSE_OUTCOME, random))
        {
            decided.put(request.key, verdict);
            stats.applied.incrementAndGet();
            silenced.add(request.key);
            recordFaults.hit(RecordFaults.Kind.LOSE_OUTCOME, request.municipality, request.requestId, request.batchId);
            return;
        }
        decided.put(request.key, verdict);
        stats.applied.incrementAndGet();
        if (verdict.status() == OutcomeStatus.REFUSED)
        {
            stats.refused.incrementAndGet();
        }
        answer(request, verdict, false);
        if (request.nextWaiter != null)
        {
            answerDuplicates(request.nextWaiter, verdict);
        }
    }

    /**
     * A record fault that hits a request about to be decided: a dropped batch member or an acknowledgement without
     * application. True when it took the request (nothing more to do).
     */
    private boolean recordFaultTakes(final ForwardRequest request, final Verdict verdict)
    {
        if (request.batchId != RecordFaults.NO_BATCH && !batchesDropped.contains(batchKey(request)) &&
            recordFaults.take(RecordFaults.Kind.DROP_BATCH_MEMBER, random))
        {
            batchesDropped.add(batchKey(request));
            silenced.add(request.key);
            recordFaults.hit(RecordFaults.Kind.DROP_BATCH_MEMBER, request.municipality, request.requestId, request.batchId);
            return true;
        }
        if (recordFaults.take(RecordFaults.Kind.ACK_WITHOUT_APPLY, random))
        {
            recordFaults.hit(RecordFaults.Kind.ACK_WITHOUT_APPLY, request.municipality, request.requestId, request.batchId);
            for (ForwardRequest each = request; each != null; each = each.nextWaiter)
            {
                answer(each, verdict, each != request);
            }
            return true;
        }
        return false;
    }

    private static String batchKey(final ForwardRequest request)
    {
        return request.municipality + "/" + Long.toUnsignedString(request.batchId);
    }

    private void answerDuplicates(final ForwardRequest first, final Verdict stored)
    {
        final long nowMs = System.currentTimeMillis();
        for (ForwardRequest request = first; request != null; request = request.nextWaiter)
        {
            ledger.duplicate(request.requestId, request.municipality, request.operationRaw, stored, nowMs,
                request.nodeId, request.forwardAttempt);
            stats.duplicates.incrementAndGet();
            answer(request, stored, true);
        }
    }

    private void answerAll(final ForwardRequest first, final Verdict transientFailure)
    {
        for (ForwardRequest request = first; request != null; request = request.nextWaiter)
        {
            stats.transientFailures.incrementAndGet();
            answer(request, transientFailure, false);
        }
    }

    private void startQueued()
    {
        while (inService < concurrency && !queue.isEmpty())
        {
            startService(queue.pollFirst());
        }
        stats.queued = queue.size();
    }

    private void answer(final ForwardRequest request, final Verdict verdict, final boolean duplicate)
    {
        if (blocked(request.endpoint))
        {
            hold(request.endpoint, () -> sendOutcome(request, verdict, duplicate));
        }
        else
        {
            sendOutcome(request, verdict, duplicate);
        }
    }

    private void onHeartbeat(final Channel channel, final UpstreamEndpoint endpoint)
    {
        stats.heartbeats.incrementAndGet();
        endpoint.stats.heartbeats.incrementAndGet();
        if (blocked(endpoint))
        {
            hold(endpoint, () -> sendHeartbeat(channel));
        }
        else
        {
            sendHeartbeat(channel);
        }
    }

    /** Whether the endpoint is silenced, by its own stall or the simulator-wide one. */
    private boolean blocked(final UpstreamEndpoint endpoint)
    {
        return globalStall.active || endpoint.stall.active;
    }

    private void hold(final UpstreamEndpoint endpoint, final Runnable send)
    {
        endpoint.held.add(send);
        endpoint.stats.held = endpoint.held.size();
        heldTotal++;
        stats.held = heldTotal;
    }

    private void sendOutcome(final ForwardRequest request, final Verdict verdict, final boolean duplicate)
    {
        final Channel channel = request.channel;
        if (!channel.isActive())
        {
            return;
        }
        final byte[] detail = verdict.detailBytes();
        final byte[] payload = verdict.payload();
        final int maxBody = OUTCOME_MAX_BODY + detail.length + payload.length;
        final ByteBuf frame = channel.alloc().buffer(FRAME_PREFIX + maxBody);
        final OutcomeEncoder encoder = writer.begin(frame, outcome, maxBody);
        encoder.requestId()
            .hi(request.requestId.getMostSignificantBits())
            .lo(request.requestId.getLeastSignificantBits());
        encoder.status(verdict.status())
            .municipalityCode(request.municipality)
            .upstreamCode(verdict.upstreamCode())
            .duplicate(duplicate ? BooleanType.TRUE : BooleanType.FALSE)
            .putDetail(detail, 0, detail.length)
            .putPayload(payload, 0, payload.length);
        writer.finish(encoder);
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    private void sendHeartbeat(final Channel channel)
    {
        if (!channel.isActive())
        {
            return;
        }
        final ByteBuf frame = channel.alloc().buffer(FRAME_PREFIX + HEARTBEAT_MAX_BODY);
        final HeartbeatEncoder encoder = writer.begin(frame, heartbeat, HEARTBEAT_MAX_BODY);
        encoder.timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE);
        writer.finish(encoder);
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    // ---- stalls ----

    /**
     * Starts (or extends) a stall. Callable from any thread; returns once the stall is in
     * effect, so work handed over after this call is held.
     */
    void stall(final Stall stall, final long durationNs)
    {
        final long endNs = System.nanoTime() + durationNs;
        runOnLoop(() -> beginStall(stall, endNs));
    }

    /** Ends a stall, if any, and returns once the answers it alone held have been sent. */
    void endStallNow(final Stall stall)
    {
        runOnLoop(() ->
        {
            if (stall.active)
            {
                stall.endNs = System.nanoTime();
                endStall(stall);
            }
        });
    }

    private void runOnLoop(final Runnable task)
    {
        if (loop.inEventLoop())
        {
            task.run();
        }
        else
        {
            // A brief wait: the service thread never blocks, so this is a queue hop.
            loop.submit(task).syncUninterruptibly();
        }
    }

    private void beginStall(final Stall stall, final long endNs)
    {
        if (stall.active)
        {
            stall.endNs = Math.max(stall.endNs, endNs);
            return;
        }
        stall.endNs = endNs;
        stall.active = true;
        for (final UpstreamEndpoint endpoint : stall.affected)
        {
            endpoint.autoRead(false);
        }
        scheduleStallEnd(stall);
    }

    private void scheduleStallEnd(final Stall stall)
    {
        loop.schedule(() -> endStall(stall), Math.max(0, stall.endNs - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void endStall(final Stall stall)
    {
        if (!stall.active)
        {
            return;
        }
        if (System.nanoTime() - stall.endNs < 0)
        {
            // Extended while it lasted.
            scheduleStallEnd(stall);
            return;
        }
        stall.active = false;
        for (final UpstreamEndpoint endpoint : stall.affected)
        {
            if (!blocked(endpoint))
            {
                release(endpoint);
            }
        }
    }

    /** Sends what the endpoint's stalls held, in arrival order, then reads from its connections again. */
    private void release(final UpstreamEndpoint endpoint)
    {
        for (final Runnable send : endpoint.held)
        {
            send.run();
        }
        heldTotal -= endpoint.held.size();
        endpoint.held.clear();
        endpoint.stats.held = 0;
        stats.held = heldTotal;
        endpoint.autoRead(true);
    }
}
