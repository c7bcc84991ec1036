package io.chukei.gateway.admin;

import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.NodeStatus;
import io.chukei.gateway.cluster.NodeVitals;
import io.chukei.gateway.cluster.OperatorActions;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.protocol.sbe.NodeState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code /cluster} on node 1 of three: own actions, overrides for peers, audit, and precise refusals. */
class ClusterAdminTest
{
    private static final AdminCaller OPERATOR = new AdminCaller(io.chukei.gateway.pki.PeerRole.OPERATOR, "alice");

    @TempDir
    Path dataDir;

    private Journal journal;
    private NodeStatus own;
    private ClusterView view;
    private ClusterAdmin admin;
    private int inFlight = 2;
    private final List<String> actionLog = new java.util.ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Vitals of a quiet node with an async journal; in flight as the test sets it. */
    private final class FixedVitals implements NodeVitals
    {
        @Override
        public int inFlight()
        {
            return inFlight;
        }

        @Override
        public long oldestUnforwardedMs()
        {
            return 7;
        }

        @Override
        public long eventLoopLagMs()
        {
            return 3;
        }

        @Override
        public String durability()
        {
            return "async";
        }

        @Override
        public Double fsyncP99Ms()
        {
            return null;
        }
    }

    @BeforeEach
    void nodeOne() throws IOException
    {
        journal = Journal.open(JournalConfig.builder().directory(dataDir.resolve("journal")).nodeId(1).build());
        final OperatorActions actions = OperatorActions.load(dataDir);
        own = new NodeStatus(1, actions);
        view = new ClusterView(ClusterMember.parseList("cluster.nodes", "1@h:7400/h:7500,2@h:7410/h:7510,3@h:7420/h:7520"),
            own, actions, 3, Clock.systemUTC());
        admin = new ClusterAdmin(view, own, new ActionAudit(journal, registry), new FixedVitals(), actionLog::add);
    }

    @AfterEach
    void closeJournal()
    {
        journal.close();
    }

    @Test
    void isolatingThisNodeChangesItsOwnStateAndIsAudited()
    {
        final AdminRoutes.Response response = post("/cluster/isolate", "node", "1", "reason", "disk swap");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.body()).contains("\"target\":1").contains("\"previous\":\"none\"").contains("\"state\":\"ISOLATED\"")
            .doesNotContain("auditWarning");
        assertThat(own.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(journal.trace(0, 0)).extracting(JournalEvent::summary).containsExactly(
            "actor=operator:alice action=cluster-isolate detail=\"node 1: none -> isolated (reason: disk swap), recorded on node 1\"");
        assertThat(actionLog).containsExactly(
            "operator:alice cluster-isolate node 1: none -> isolated (reason: disk swap), recorded on node 1");
    }

    /** The action is what an operator needs when the journal fails; the answer says its audit entry is missing. */
    @Test
    void anActionWhoseAuditEntryTheJournalCannotTakeIsCarriedOutAndSaysSo()
    {
        journal.close();

        final AdminRoutes.Response response = post("/cluster/isolate", "node", "1", "reason", "disk failing");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(own.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(response.body()).contains("\"state\":\"ISOLATED\"",
            "\"auditWarning\":\"not journaled: the journal could not write the entry (the node's log says why)\"");
        assertThat(registry.get("chukei.admin.actions.unaudited").tag("action", "cluster-isolate").counter().count())
            .isEqualTo(1.0);
        assertThat(actionLog).singleElement().asString().startsWith("operator:alice cluster-isolate node 1");
    }

    /**
     * An operator quoting a resident's case: the personal number is masked once, at the door, so neither the node's
     * log (the action log here), its view (status page, /cluster), nor the journal holds it in clear.
     */
    @Test
    void aPersonalNumberInTheReasonIsMaskedEverywhereTheReasonGoes()
    {
        post("/cluster/drain", "node", "1", "reason", "citizen 123456789018 山田太郎 asked");

        assertThat(actionLog).singleElement().asString().contains("(reason: citizen ************ 山田太郎 asked)")
            .doesNotContain("123456789018");
        assertThat(view.json()).contains("citizen ************ 山田太郎 asked").doesNotContain("123456789018");
        assertThat(own.reason()).doesNotContain("123456789018");
        assertThat(journal.trace(0, 0)).extracting(JournalEvent::summary).singleElement().asString()
            .doesNotContain("123456789018");
    }

    @Test
    void drainingAPeerIsRecordedHereAndLeavesThisNodeActive()
    {
        post("/cluster/drain", "node", "3");

        assertThat(view.stateOf(3)).isEqualTo(NodeState.DRAINING);
        assertThat(own.state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void selfReportsStateOperatorAndWhetherItIsDrained()
    {
        post("/cluster/drain", "node", "1");
        final String whileBusy = get("/cluster/self").body();
        inFlight = 0;

        final String drained = get("/cluster/self").body();

        assertThat(whileBusy).isEqualTo("{\"id\":1,\"state\":\"DRAINING\",\"reason\":\"operator drain\",\"operator\":\"draining\"," +
            "\"inFlight\":2,\"drained\":false,\"version\":2,\"oldestUnforwardedMs\":7,\"eventLoopLagMs\":3," +
            "\"durability\":\"async\",\"fsyncP99Ms\":null}\n");
        assertThat(drained).contains("\"inFlight\":0,\"drained\":true");
    }

    @Test
    void releaseUndoesTheAction()
    {
        post("/cluster/isolate", "node", "2");

        post("/cluster/release", "node", "2");

        assertThat(view.stateOf(2)).isEqualTo(NodeState.ACTIVE);
        assertThat(get("/cluster").body()).doesNotContain("\"operator\":\"isolated\"");
    }

    @Test
    void anUnknownNodeIsRefusedNamingTheParameterAndTheRule()
    {
        assertThatThrownBy(() -> post("/cluster/isolate", "node", "9"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("node: 9 (expected: a node of the cluster list, one of [1, 2, 3]) (rule: unknown node id)");
        assertThat(journal.trace(0, 0)).isEmpty();
    }

    @Test
    void aMissingOrNonNumericNodeIsRefused()
    {
        assertThatThrownBy(() -> post("/cluster/drain"))
            .hasMessage("node: missing (expected: node=ID, one of the cluster's node ids [1, 2, 3])");
        assertThatThrownBy(() -> post("/cluster/drain", "node", "two"))
            .hasMessage("node: 'two' (expected: a node id, one of [1, 2, 3])");
    }

    @Test
    void aReasonWithALineBreakIsRefusedNamingTheCharacterAndTheRule()
    {
        assertThatThrownBy(() -> post("/cluster/isolate", "node", "1", "reason", "disk\r\n2026-11-30 INFO forged"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("reason: U+000D at character 4 is a control character (expected: printable text, at most 200 " +
                "characters) (rule: no control, bidi or invisible format characters)");
        assertThat(own.state()).isEqualTo(NodeState.ACTIVE);
        assertThat(journal.trace(0, 0)).isEmpty();
    }

    @Test
    void aReasonWithABidiControlIsRefused()
    {
        assertThatThrownBy(() -> post("/cluster/drain", "node", "2", "reason", "ok \u202Edesrever"))
            .hasMessageContaining("U+202E at character 3 is a bidi control");
        assertThat(view.stateOf(2)).isNotEqualTo(NodeState.DRAINING);
    }

    @Test
    void aPrintableReasonInAnyScriptIsKeptAsWritten()
    {
        post("/cluster/isolate", "node", "1", "reason", "髙橋さん: ディスク交換 C:\\data");

        assertThat(own.reason()).contains("髙橋さん: ディスク交換 C:\\data");
    }

    @Test
    void anUnknownPathIsQuotedEscaped()
    {
        assertThat(get("/cluster/\u001B[2J").body()).startsWith("no such path: /cluster/\\u001b[2J (expected:");
    }

    @Test
    void anActionNeedsPostAndTheViewNeedsGet()
    {
        assertThat(admin.handle(OPERATOR, HttpMethod.GET, "/cluster/isolate", Map.of("node", List.of("1"))).status())
            .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(admin.handle(OPERATOR, HttpMethod.POST, "/cluster", Map.of()).status())
            .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(own.state()).isEqualTo(NodeState.ACTIVE);
    }

    private AdminRoutes.Response get(final String path)
    {
        return admin.handle(OPERATOR, HttpMethod.GET, path, Map.of());
    }

    private AdminRoutes.Response post(final String path, final String... keyValues)
    {
        final java.util.Map<String, List<String>> query = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            query.put(keyValues[i], List.of(keyValues[i + 1]));
        }
        return admin.handle(OPERATOR, HttpMethod.POST, path, query);
    }
}
