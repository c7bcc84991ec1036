package io.chukei.protocol.client;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.validation.ErrorCatalog;
import io.chukei.protocol.validation.RetryAdvice;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One {@link ConnectorClient#batchStatusEverywhere} call: every node asked over a probe session of its own, within one
 * deadline. A node that refuses for now (a code whose advice is {@link RetryAdvice#LATER}: OVERLOADED while it rebuilds
 * its batch accounts after a start, RATE_LIMITED) is asked again after a jittered back-off until the deadline. Only
 * accounts are merged: a node that gave none by the deadline — silent, or still refusing — is named in
 * {@link BatchStatus#unanswered()}, because members it holds would be missing from the merge. (A refusal merged as an
 * answer once made a batch look incomplete with nobody unanswered.)
 */
final class BatchStatusEverywhere
{
    private static final Duration FIRST_RETRY_BOUND = Duration.ofMillis(100);
    private static final Duration LAST_RETRY_BOUND = Duration.ofSeconds(1);

    private final long batchId;
    private final long deadlineEpochMs;
    private final Clock clock;
    private final EventLoopGroup group;

    private BatchStatusEverywhere(final long batchId, final long deadlineEpochMs, final Clock clock,
        final EventLoopGroup group)
    {
        this.batchId = batchId;
        this.deadlineEpochMs = deadlineEpochMs;
        this.clock = clock;
        this.group = group;
    }

    /**
     * Asks every node in {@code nodes}; {@code probeFor} opens a one-node client for an address (closed here when all
     * have answered or the deadline passed).
     */
    static CompletableFuture<BatchStatus> ask(final long batchId, final List<InetSocketAddress> nodes,
        final Function<InetSocketAddress, ConnectorClient> probeFor, final Duration timeout, final Clock clock,
        final EventLoopGroup group)
    {
        final BatchStatusEverywhere call = new BatchStatusEverywhere(batchId, clock.millis() + timeout.toMillis(), clock,
            group);
        final List<NodeAsk> asks = new ArrayList<>();
        for (final InetSocketAddress node : nodes)
        {
            final NodeAsk ask = call.new NodeAsk(node, probeFor.apply(node));
            asks.add(ask);
            ask.send();
        }
        return CompletableFuture.allOf(asks.stream().map(ask -> ask.done).toArray(CompletableFuture[]::new))
            .thenApplyAsync(done -> call.merge(asks), ForkJoinPool.commonPool());
    }

    private BatchStatus merge(final List<NodeAsk> asks)
    {
        final List<BatchStatus> accounts = new ArrayList<>();
        final List<BatchStatus> refusals = new ArrayList<>();
        final List<String> unanswered = new ArrayList<>();
        for (final NodeAsk ask : asks)
        {
            ask.probe.close();
            final BatchStatus answer = ask.done.join();
            if (answer.nodeIds().isEmpty() || answer.code() != ErrorCode.NO_ERROR)
            {
                unanswered.add(ask.node.getHostString() + ":" + ask.node.getPort());
                if (!answer.nodeIds().isEmpty())
                {
                    refusals.add(answer);
                }
            }
            else
            {
                accounts.add(answer);
            }
        }
        // With no account at all, the refusals still say why (e.g. MUNICIPALITY_NOT_AUTHORIZED for every node).
        return BatchStatus.merge(batchId, accounts.isEmpty() ? refusals : accounts, unanswered);
    }

    /** One node's part of the call: sent, and sent again while the node refuses for now. */
    private final class NodeAsk
    {
        final InetSocketAddress node;
        final ConnectorClient probe;
        final CompletableFuture<BatchStatus> done = new CompletableFuture<>();
        private final Backoff backoff = new Backoff(FIRST_RETRY_BOUND, LAST_RETRY_BOUND, new SplittableRandom());

        NodeAsk(final InetSocketAddress node, final ConnectorClient probe)
        {
            this.node = node;
            this.probe = probe;
        }

        void send()
        {
            probe.batchStatus(batchId, deadlineEpochMs).thenAccept(this::answered);
        }

        private void answered(final BatchStatus answer)
        {
            final long delayMs = backoff.nextDelayMs();
            if (!refusedForNow(answer) || clock.millis() + delayMs >= deadlineEpochMs)
            {
                done.complete(answer);
                return;
            }
            try
            {
                group.next().schedule(this::send, delayMs, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                // The client is closing: its last answer stands (named unanswered in the merge).
                done.complete(answer);
            }
        }

        private static boolean refusedForNow(final BatchStatus answer)
        {
            return !answer.nodeIds().isEmpty() && answer.code() != ErrorCode.NULL_VAL &&
                ErrorCatalog.retry(answer.code()) == RetryAdvice.LATER;
        }
    }
}
