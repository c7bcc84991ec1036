package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.Connections;
import io.chukei.bench.loadgen.Municipalities;
import io.chukei.bench.netlab.NetworkLab;
import io.chukei.bench.rawclient.StuckReaderConnector;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The soak's stuck reader (issue 18, item 4): a connector written by hand ({@link StuckReaderConnector}) that connects
 * to the target node, stops reading its socket and keeps sending Submits for at least {@link #STUCK_AT_LEAST}. When
 * healed it reads again (what the node queued arrives, if the node kept the connection), closes, and sends every id
 * that got no final answer again on a new session through the SDK, as a connector must; each id then has one record
 * for the consistency check. An id answered twice on the stuck connection is a problem of the run.
 */
final class StuckReaderFault implements AutoCloseable
{
    /** Issue 18, item 4: a connector that stops reading its socket for 60 s while sending. */
    static final Duration STUCK_AT_LEAST = Duration.ofSeconds(60);
    /** What it tries to send meanwhile: more than a node would answer from it before back pressure holds it. */
    static final double SUBMITS_PER_SECOND = 500;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Reading again: the node's queued answers have all arrived once none came for this long. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final int RESEND_WINDOW = 50;

    /**
     * With the nodes in a network lab, the target's TCP buffers are capped for the fault (new sockets only, so the stuck
     * connection and those opened meanwhile), as in StuckReaderSystemTest: with this host's 4 MiB send buffers some
     * 30,000 answers fit in the kernel before the node's own buffer fills and it stops reading (more than 60 s at 500/s).
     * On loopback nothing caps them: the node may read the stuck connector for the whole fault.
     */
    static final int NODE_TCP_BUFFERS = 64 * 1024;

    private final StuckReaderConnector stuck;
    private final long stuckSinceNanos;
    /** The target's TCP buffer settings before the cap (null: no lab, nothing capped). */
    private final String tcpBuffersBefore;

    private StuckReaderFault(final StuckReaderConnector stuck, final long stuckSinceNanos, final String tcpBuffersBefore)
    {
        this.stuck = stuck;
        this.stuckSinceNanos = stuckSinceNanos;
        this.tcpBuffersBefore = tcpBuffersBefore;
    }

    /** The municipality of the stuck connector: from the end of the code space, so no load connector shares it. */
    static String municipality()
    {
        return Municipalities.fromEnd(1).get(0);
    }

    static void inject(final LocalCluster cluster, final int target) throws IOException, InterruptedException
    {
        final NetworkLab lab = cluster.lab();
        final String tcpBuffersBefore = lab == null ? null : lab.tcpBuffers(target);
        if (lab != null)
        {
            lab.limitTcpBuffers(target, NODE_TCP_BUFFERS);
        }
        StuckReaderConnector stuck = null;
        try
        {
            final String code = municipality();
            stuck = StuckReaderConnector.open(cluster.node(target).connector(),
                TlsContexts.client(cluster.pki().issueConnector(code), PeerPolicy.relayClient()), code);
            stuck.welcomed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            stuck.stopReadingAndSend(SUBMITS_PER_SECOND);
            cluster.faultTraffic().hold(target, new StuckReaderFault(stuck, System.nanoTime(), tcpBuffersBefore));
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException ex)
        {
            // Not injected: nothing of it stays behind, the target's buffers neither.
            if (stuck != null)
            {
                stuck.close();
            }
            if (tcpBuffersBefore != null)
            {
                lab.restoreTcpBuffers(target, tcpBuffersBefore);
            }
            throw ex instanceof RuntimeException runtime ? runtime :
                new IllegalStateException("stuck reader: no Welcome from node " + target + " within " + WAIT, ex);
        }
    }

    static void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
    {
        final StuckReaderFault fault = cluster.faultTraffic().take(target, StuckReaderFault.class);
        try (fault)
        {
            fault.end(cluster, System.err);
        }
        finally
        {
            if (fault.tcpBuffersBefore != null)
            {
                cluster.lab().restoreTcpBuffers(target, fault.tcpBuffersBefore);
            }
        }
    }

    private void end(final LocalCluster cluster, final PrintStream progress) throws InterruptedException
    {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, stuckSinceNanos + STUCK_AT_LEAST.toNanos() - System.nanoTime()));
        final long sent = stuck.handedOver();
        stuck.stopSendingAndRead();
        long seen = -1;
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (stuck.finalAnswersReceived() != seen && System.nanoTime() < deadline && !stuck.closed().isDone())
        {
            seen = stuck.finalAnswersReceived();
            TimeUnit.NANOSECONDS.sleep(QUIET.toNanos());
        }
        stuck.close();
        final List<UUID> twice = answeredOrAcknowledgedTwice(stuck);
        if (!twice.isEmpty())
        {
            cluster.faultTraffic().problem("stuck reader: " + twice.size() + " ids answered or acknowledged twice on its " +
                "connection, e.g. " + twice.get(0));
        }
        final List<StuckRequest> records = resendUnanswered(cluster, stuck, REQUEST_TIMEOUT, progress);
        cluster.faultTraffic().addRecords(records);
        progress.printf("soak: stuck reader: %d Submits handed to its socket in %d s, %d final answers on its connection " +
            "(GoAway %s, ended by %s), %d sent again on a new session%n", sent,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stuckSinceNanos), stuck.finalAnswersReceived(), stuck.goAway(),
            stuck.failure() == null ? "-" : stuck.failure().getClass().getSimpleName(),
            records.stream().filter(StuckRequest::resent).count());
    }

    /** Ids with two final answers, or two acknowledgements, on the stuck connection: none may have. */
    static List<UUID> answeredOrAcknowledgedTwice(final StuckReaderConnector stuck)
    {
        return stuck.sentIds().stream().filter(id -> stuck.finalAnswers(id) > 1 || stuck.accepted(id) > 1).toList();
    }

    /**
     * Every id the stuck connector handed to its socket without a final answer on its connection goes again, same id,
     * on a new SDK session to the cluster (the node may have accepted any of them), in windows as a connector catching
     * up would; one record per id sent, judged by its final answer.
     */
    static List<StuckRequest> resendUnanswered(final LocalCluster cluster, final StuckReaderConnector stuck,
        final Duration requestTimeout, final PrintStream progress) throws InterruptedException
    {
        final List<UUID> sent = stuck.sentIds();
        // Refused for the moment (OVERLOADED, RATE_LIMITED: not accepted, send again later) counts as no answer yet.
        final List<UUID> unanswered = sent.stream().filter(id -> finalOnConnection(stuck, id) == 0).toList();
        final Map<UUID, Answer> resent = new HashMap<>();
        try (Connections again = Connections.open(cluster.connectorAddresses(), cluster.pki(),
            List.of(stuck.municipality()), 1, requestTimeout, progress))
        {
            if (!again.awaitSessions(WAIT))
            {
                throw new IllegalStateException("stuck reader: no new session for " + stuck.municipality() + " within " + WAIT);
            }
            final ConnectorClient client = again.clients().get(0);
            // Thousands at once would overflow the municipality's queue toward card management: windows.
            for (int from = 0; from < unanswered.size(); from += RESEND_WINDOW)
            {
                final List<Submission> window = unanswered.subList(from, Math.min(unanswered.size(), from + RESEND_WINDOW))
                    .stream().map(id -> resend(client, id, requestTimeout)).toList();
                for (final Submission submission : window)
                {
                    resent.put(submission.requestId(), answerAfterRetryLater(client, submission, requestTimeout));
                }
            }
        }
        final List<StuckRequest> records = new ArrayList<>(sent.size());
        for (final UUID id : sent)
        {
            final boolean again = resent.containsKey(id);
            records.add(new StuckRequest(id, stuck.municipality(), again ? resent.get(id) : stuck.answer(id),
                finalOnConnection(stuck, id) + (again && resent.get(id) != null ? 1 : 0), again));
        }
        return records;
    }

    /** Final answers on the stuck connection, a refusal to be sent again later not counted. */
    private static int finalOnConnection(final StuckReaderConnector stuck, final UUID id)
    {
        return stuck.answer(id) instanceof Answer.Rejected refused && isRetryLater(refused.code()) ? 0 : stuck.finalAnswers(id);
    }

    private static boolean isRetryLater(final ErrorCode code)
    {
        return code == ErrorCode.OVERLOADED || code == ErrorCode.RATE_LIMITED;
    }

    private static Submission resend(final ConnectorClient client, final UUID id, final Duration timeout)
    {
        return client.send(SubmitRequest.builder(Operation.CARD_STATUS)
            .cardId(StuckReaderConnector.cardId(id.getLeastSignificantBits())).requestId(id).timeout(timeout).build());
    }

    /** The answer, after resending the same id when told OVERLOADED or RATE_LIMITED (not accepted; resend after retryAfterMs). */
    private static Answer answerAfterRetryLater(final ConnectorClient client, final Submission submission,
        final Duration timeout) throws InterruptedException
    {
        Answer answer = await(submission);
        for (int retry = 0; retry < 5 && answer instanceof Answer.Rejected refused && isRetryLater(refused.code()); retry++)
        {
            TimeUnit.MILLISECONDS.sleep(refused.retryAfterMs().orElse(100));
            answer = await(resend(client, submission.requestId(), timeout));
        }
        return answer;
    }

    private static Answer await(final Submission submission) throws InterruptedException
    {
        try
        {
            return submission.answer().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            return null; // No final answer: the check counts it lost.
        }
    }

    @Override
    public void close()
    {
        stuck.close();
    }

    /** One request of the stuck connector: its final answer, on its connection or after a same-id resend ({@code resent}). */
    record StuckRequest(UUID requestId, String municipality, Answer answer, int answers, boolean resent)
        implements RequestRecord
    {
    }
}
