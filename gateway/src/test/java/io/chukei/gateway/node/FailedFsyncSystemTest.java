package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.ThinDisk;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose journal disk fails for real: a {@link ThinDisk} whose backing store runs out, so the kernel fails the
 * write-back and reports it at the next fsync. In sync mode nothing the failed fsync was to cover is acknowledged or
 * forwarded; in process mode the write-back check finds it once the kernel has tried to write the pages back. Either
 * way new requests are refused naming it, and the health check fails — which isolates the node when a peer can take
 * its connectors. Before these tests only a stand-in for the fsync (a seam in the journal) was failed, and a
 * process-mode node never learned of a failing disk.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailedFsyncSystemTest
{
    private static final String MUNICIPALITY = "131016";
    /** Requests sent at once after the disk ran out: their entries fill several blocks. */
    private static final int BURST = 100;
    private static final long BURST_DEADLINE_MS = 8_000;
    /** Entries are small: a few dozen requests at most before one needs a block the backing store never held. */
    private static final int MAX_TRIES = 300;
    /**
     * Sync mode; and a heartbeat interval longer than a request's deadline: the raw connector sends no heartbeats
     * while it waits for a request's answer.
     */
    private static final String[] SYNC_AND_QUIET = {"journal.durability", "sync", "connector.heartbeatIntervalMs", "10000"};
    private static final String[] FAST_PROBES = {"cluster.probeIntervalMs", "100", "cluster.probeTimeoutMs", "1000"};

    @TempDir
    Path dataDir;

    @TempDir
    Path dataDir2;

    @TempDir
    Path scratch;

    @Test
    void afterAFailedFsyncNothingUnsyncedIsAcknowledgedOrForwardedAndNewRequestsAreRefusedNamingIt() throws Exception
    {
        try (ThinDisk disk = ThinDisk.mount(scratch, dataDir.resolve("journal"));
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir, SYNC_AND_QUIET),
                 Clock.systemUTC()).start();
             RawConnector raw = session(node.connectorAddress(), dataDir))
        {
            assertThat(submitAndAnswer(raw).code()).as("before the disk runs out").isNull();
            disk.exhaust();

            // Once an fsync has failed the disk gets its room back: a retried fsync would now succeed, without the pages
            // the failed write-back dropped. The node must not take that success for the entries the failure covered.
            // (After 3 s at the latest, well before the burst's deadlines: a node that retried its fsyncs would not say.)
            final CompletableFuture<Void> restored = CompletableFuture.runAsync(() ->
            {
                try
                {
                    await().atMost(Duration.ofSeconds(3)).until(() -> node.journal().syncProblem() != null);
                }
                catch (final ConditionTimeoutException notSaid)
                {
                    // Restored all the same; the assertions below say what went wrong.
                }
                try
                {
                    disk.restore();
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            // A burst spans blocks the backing store never held: the fsync that covers them fails.
            final Map<UUID, Answer> burst = submitBurstAndAnswer(raw, BURST);
            restored.get(30, TimeUnit.SECONDS);

            final List<UUID> unacknowledged = new ArrayList<>();
            burst.forEach((id, answer) ->
            {
                if (answer.code() == null)
                {
                    assertThat(answer.acknowledged()).as("a Result after Accepted").isTrue();
                }
                else if (answer.code() == ErrorCode.DEADLINE_EXCEEDED)
                {
                    // Its ACCEPTED entry was in the failed fsync: no Accepted came, and it never left for card management.
                    assertThat(answer.acknowledged()).as("Accepted before DEADLINE_EXCEEDED").isFalse();
                    unacknowledged.add(id);
                }
                else
                {
                    assertThat(answer.code()).as("%s: %s", id, answer.detail()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE);
                    assertThat(answer.detail()).contains("the disk failed a write on this node");
                }
            });
            assertThat(unacknowledged).as("requests whose ACCEPTED entry the failed fsync was to cover").isNotEmpty();
            // The kernel's own error, not a stand-in.
            assertThat(node.journal().syncProblem()).contains("fsync of the journal through index")
                .containsAnyOf("(java.io.IOException: No space left on device)", "(java.io.IOException: Input/output error)");
            // Refused although the disk has room again: only a restart, after the disk is checked, takes new work.
            final Answer after = submitAndAnswer(raw);
            assertThat(after.code()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE);
            assertThat(after.detail()).contains("the disk failed a write on this node");
            final Map<UUID, Integer> applied = Ledger.appliedCounts(node.simulator().ledgerFile());
            for (final UUID id : unacknowledged)
            {
                assertThat(node.journal().trace(id.getMostSignificantBits(), id.getLeastSignificantBits()))
                    .extracting(JournalEvent::type).doesNotContain(JournalEventType.FORWARDED);
                assertThat(applied).doesNotContainKey(id);
            }
            // Alone in its cluster it stays in service (isolating it would leave its connectors nowhere to go), but
            // its health check fails for operators and alerts.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(node.metrics().scrape()).contains("chukei_health_unhealthy{node=\"1\"} 1.0"));
            // An operator's action is carried out; its answer says its audit entry may not reach the disk.
            final java.net.http.HttpResponse<String> drained = AdminHttp.operator(node).post(node, "/cluster/drain?node=1");
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(io.chukei.gateway.cluster.Json.tree(drained.body()).path("auditWarning").asText())
                .startsWith("journaled at index ").contains("after the disk under the journal failed a write (fsync of " +
                    "the journal through index ").endsWith("the entry may not reach the disk");
        }
    }

    @Test
    void inProcessModeTheWriteBackCheckFindsTheFailingDiskAndNewRequestsAreRefused() throws Exception
    {
        try (ThinDisk disk = ThinDisk.mount(scratch, dataDir.resolve("journal"));
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "connector.heartbeatIntervalMs", "10000"),
                 Clock.systemUTC()).start();
             RawConnector raw = session(node.connectorAddress(), dataDir))
        {
            assertThat(submitAndAnswer(raw).code()).isNull();
            disk.exhaust();

            // Process mode acknowledges without the disk: these are answered as usual, their entries in memory.
            final Map<UUID, Answer> burst = submitBurstAndAnswer(raw, BURST);
            assertThat(burst.values()).allSatisfy(answer -> assertThat(answer.code() == null ?
                answer.acknowledged() : answer.code() == ErrorCode.JOURNAL_UNAVAILABLE).as("%s", answer).isTrue());
            // The kernel writes their pages back (its flusher would 30 s after they were dirtied; sync does it now) and
            // fails; the write-back check (every journal.writebackCheckMs, 1 s) hears of it.
            assertThat(new ProcessBuilder("sync").inheritIO().start().waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.journal().syncProblem() != null);

            assertThat(node.journal().syncProblem()).startsWith("write-back of the journal failed (")
                .containsAnyOf(".cq4: No space left on device,", ".cq4: Input/output error,");
            final Answer after = submitAndAnswer(raw);
            assertThat(after.code()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE);
            assertThat(after.detail()).contains("the disk failed a write on this node");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(node.metrics().scrape()).contains("chukei_health_unhealthy{node=\"1\"} 1.0"));

            // An operator's change is made, and its answer says that its audit entry may be lost with the disk's pages.
            final java.net.http.HttpResponse<String> limited = AdminHttp.operator(node)
                .post(node, "/admission/limits?code=" + MUNICIPALITY + "&rate=5&burst=10");
            assertThat(limited.statusCode()).isEqualTo(200);
            assertThat(limited.body()).contains("\"" + MUNICIPALITY + "\":{\"perSecond\":5,\"burst\":10}");
            assertThat(io.chukei.gateway.cluster.Json.tree(limited.body()).path("auditWarning").asText())
                .startsWith("journaled at index ").contains("after the disk under the journal failed a write (write-back " +
                    "of the journal failed (").endsWith("the entry may not reach the disk");
            assertThat(node.metrics().scrape())
                .contains("chukei_admin_actions_unaudited_total{action=\"rate-limit\",node=\"1\"} 1.0");
            // chukei admin says so too, on its error stream, and exits 0: the action was carried out.
            final java.io.StringWriter out = new java.io.StringWriter();
            final java.io.StringWriter err = new java.io.StringWriter();
            final picocli.CommandLine command = io.chukei.gateway.cli.ChukeiCommand.commandLine();
            command.setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(err, true));
            assertThat(command.execute("admin", "drain", "1", "--admin", "127.0.0.1:" + node.adminAddress().getPort(),
                "--pki", node.config().pkiDir().toString())).isZero();
            assertThat(out.toString()).contains(" ok: node 1 is DRAINING in its view");
            assertThat(err.toString()).contains("chukei admin drain: 127.0.0.1:" + node.adminAddress().getPort() +
                " carried it out; its audit entry is journaled at index ").contains("the entry may not reach the disk");
        }
    }

    @Test
    void aNodeWhoseFsyncFailedIsolatesItselfAndSendsItsConnectorsToItsPeer() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        try (ThinDisk disk = ThinDisk.mount(scratch, dataDir.resolve("journal"));
             RelayNode node1 = new RelayNode(NodeFixtures.clusterNode(dataDir, ports, 0, withSync(FAST_PROBES)),
                 Clock.systemUTC()).start();
             RelayNode node2 = new RelayNode(NodeFixtures.clusterNode(dataDir2, ports, 1, withSync(FAST_PROBES)),
                 Clock.systemUTC()).start())
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> node1.clusterView().stateOf(2) == NodeState.ACTIVE);
            try (RawConnector raw = session(node1.connectorAddress(), dataDir))
            {
                assertThat(submitAndAnswer(raw).code()).isNull();
                disk.exhaust();

                MessageReader goAway = null;
                for (int i = 0; i < MAX_TRIES && goAway == null; i++)
                {
                    raw.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, MUNICIPALITY));
                    // Accepted and Result while fsyncs still succeed; then the node isolates itself and says so.
                    for (MessageReader reply = raw.next(); ; reply = raw.next())
                    {
                        if (reply.templateId() == GoAwayDecoder.TEMPLATE_ID)
                        {
                            goAway = reply;
                            break;
                        }
                        if (reply.templateId() != AcceptedDecoder.TEMPLATE_ID)
                        {
                            break;
                        }
                    }
                }

                assertThat(goAway).as("a GoAway within %d requests after the disk ran out", MAX_TRIES).isNotNull();
                assertThat(goAway.goAway().code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
                assertThat(goAwayDetail(goAway)).contains("ISOLATED", "fsync of the journal");
            }
            assertThat(node1.nodeStatus().state()).isEqualTo(NodeState.ISOLATED);
            await().atMost(Duration.ofSeconds(10)).until(() -> node2.clusterView().stateOf(1) == NodeState.ISOLATED);
            assertThat(node2.clusterView().json()).contains("self-isolated: fsync of the journal");
            // Its peer takes the work.
            try (RawConnector raw = session(node2.connectorAddress(), dataDir2))
            {
                assertThat(submitAndAnswer(raw).code()).isNull();
            }
        }
    }

    private static String[] withSync(final String[] keyValues)
    {
        final String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + SYNC_AND_QUIET.length);
        System.arraycopy(SYNC_AND_QUIET, 0, all, keyValues.length, SYNC_AND_QUIET.length);
        return all;
    }

    /** One request's fate: {@code code} null for a Result. */
    private record Answer(UUID id, boolean acknowledged, ErrorCode code, String detail)
    {
    }

    /** Sends one CARD_STATUS with a 2 s deadline and reads until its final answer. */
    private static Answer submitAndAnswer(final RawConnector raw) throws InterruptedException
    {
        return submitAndAnswer(raw, 1, 2_000).values().iterator().next();
    }

    /** Sends {@code count} CARD_STATUS requests at once and reads until each has its answer. */
    private static Map<UUID, Answer> submitBurstAndAnswer(final RawConnector raw, final int count) throws InterruptedException
    {
        return submitAndAnswer(raw, count, BURST_DEADLINE_MS);
    }

    private static Map<UUID, Answer> submitAndAnswer(final RawConnector raw, final int count, final long deadlineMs)
        throws InterruptedException
    {
        final Map<UUID, Answer> answers = new LinkedHashMap<>();
        final java.util.Set<UUID> acknowledged = new java.util.HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final UUID id = UUID.randomUUID();
            answers.put(id, null);
            raw.send(new SubmitEncoder(), submit -> cardStatus(submit, id, deadlineMs));
        }
        for (int answered = 0; answered < count; )
        {
            final MessageReader reply = raw.next();
            if (reply.templateId() == AcceptedDecoder.TEMPLATE_ID)
            {
                acknowledged.add(new UUID(reply.accepted().requestId().hi(), reply.accepted().requestId().lo()));
                continue;
            }
            final UUID id;
            final Answer answer;
            if (reply.templateId() == ResultDecoder.TEMPLATE_ID)
            {
                id = new UUID(reply.result().requestId().hi(), reply.result().requestId().lo());
                answer = new Answer(id, acknowledged.contains(id), null, null);
            }
            else
            {
                assertThat(reply.templateId()).as("a final answer, not %s", reply.templateId() == GoAwayDecoder.TEMPLATE_ID ?
                    "GoAway " + reply.goAway().code() + " " + goAwayDetail(reply) : "template " + reply.templateId())
                    .isEqualTo(RejectedDecoder.TEMPLATE_ID);
                id = new UUID(reply.rejected().requestId().hi(), reply.rejected().requestId().lo());
                answer = new Answer(id, acknowledged.contains(id), reply.rejected().code(), reply.rejected().detail());
            }
            assertThat(answers.put(id, answer)).as("one final answer for %s", id).isNull();
            answered++;
        }
        return answers;
    }

    private static void cardStatus(final SubmitEncoder submit, final UUID id, final long deadlineMs)
    {
        RawSubmits.cardStatus(submit, MUNICIPALITY);
        submit.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
        submit.deadlineEpochMs(System.currentTimeMillis() + deadlineMs);
    }

    private static String goAwayDetail(final MessageReader goAway)
    {
        for (final GoAwayDecoder.NodesDecoder node : goAway.goAway().nodes())
        {
            node.address(); // var-data must be read before the next entry
        }
        return goAway.goAway().detail();
    }

    private static RawConnector session(final java.net.InetSocketAddress node, final Path dataDir) throws Exception
    {
        final RawConnector raw = new RawConnector(node, TlsContexts.client(
            DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid).issueConnector(MUNICIPALITY),
            PeerPolicy.relayClient()));
        assertThat(raw.handshake()).isTrue();
        raw.hello(MUNICIPALITY);
        assertThat(raw.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return raw;
    }
}
