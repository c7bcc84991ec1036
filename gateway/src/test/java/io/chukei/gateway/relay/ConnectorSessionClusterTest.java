package io.chukei.gateway.relay;

import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session on a node that is not ACTIVE: new Submits are redirected, what the node holds is
 * served as before; leaving ACTIVE sends GoAway, other view changes are pushed.
 */
class ConnectorSessionClusterTest
{
    private static final int NODE = SessionHarness.NODE_ID;
    private static final ClusterSnapshot ISOLATED_VIEW = view(NodeState.ISOLATED);
    private static final ClusterSnapshot DRAINING_VIEW = view(NodeState.DRAINING);

    @TempDir
    Path journalDirectory;

    private SessionHarness session;

    @AfterEach
    void everyFrameIsReleased()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @Test
    void aNewSubmitOnAnIsolatedNodeIsRedirectedWithTheViewAndNeitherJournaledNorForwarded()
    {
        openSession();
        session.nodeState(NodeState.ISOLATED, ISOLATED_VIEW);

        session.send(session.cardStatus(1));

        final RedirectDecoder redirect = redirect(session.nextReply());
        assertThat(redirect.requestId().lo()).isEqualTo(1);
        assertThat(redirect.nodeId()).isEqualTo(NODE);
        assertThat(redirect.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(nodesOf(redirect)).isEqualTo(ISOLATED_VIEW.nodes());
        assertThat(session.forwarded()).isEmpty();
        assertThat(session.journaled(1)).isEmpty();
        assertThat(session.metrics().redirectCount()).isEqualTo(1);
    }

    @Test
    void aResendOfAPendingRequestOnADrainingNodeIsStillAcceptedAsAlreadyKnown()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.nodeState(NodeState.DRAINING, DRAINING_VIEW);

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));

        assertThat(accepted(session.nextReply()).alreadyKnown()).isEqualTo(BooleanType.TRUE);
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void aResendOfAFinishedRequestOnAnIsolatedNodeGetsTheStoredResult()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", "ACTIVE".getBytes(StandardCharsets.US_ASCII));
        session.nextReply();
        session.nodeState(NodeState.ISOLATED, ISOLATED_VIEW);

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        assertThat(reply.result().status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aPendingRequestIsStillAnsweredOnceAfterTheNodeStartedDraining()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.nodeState(NodeState.DRAINING, DRAINING_VIEW);

        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", new byte[0]);

        assertThat(session.nextReply().templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        assertThat(session.pendingReplies()).isZero();
    }

    @Test
    void leavingActiveSendsGoAwayNodeUnavailableWithTheViewAndClosesTheSession()
    {
        openSession();

        session.sessions().goAwayAll(ErrorCode.NODE_UNAVAILABLE, "node 3 is ISOLATED (operator isolated)", ISOLATED_VIEW);
        session.runQueuedTasks();

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
        final GoAwayDecoder goAway = reply.goAway();
        assertThat(goAway.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final GoAwayDecoder.NodesDecoder node : goAway.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(ISOLATED_VIEW.nodes());
        assertThat(goAway.detail()).isEqualTo("node 3 is ISOLATED (operator isolated)");
        // Open a moment longer, reading and dropping what the connector still sends, so the answers queued ahead of
        // the GoAway reach it before the close (a close with unread input resets the connection).
        assertThat(session.channelOpen()).as("lingering").isTrue();
        session.send(session.cardStatus(9));
        assertThat(session.pendingReplies()).as("a Submit after the GoAway is dropped, not answered").isZero();
        session.passTime(java.time.Duration.ofMillis(ConnectorSession.LINGER_MS - 1));
        assertThat(session.channelOpen()).isTrue();
        session.passTime(java.time.Duration.ofMillis(1));
        assertThat(session.channelOpen()).isFalse();
        assertThat(session.sessions().size()).isZero();
    }

    /**
     * A connector that reads slowly: past the linger the session stays open while the kernel still holds bytes for
     * it (a close then could reset the connection and drop them, the GoAway with them), and closes once they are
     * delivered; at the latest after LINGER_MAX_MS.
     */
    @Test
    void pastTheLingerASessionWaitsForWhatTheKernelHoldsToBeDeliveredThenCloses()
    {
        final java.util.concurrent.atomic.AtomicInteger unsent = new java.util.concurrent.atomic.AtomicInteger(65_536);
        final java.util.function.ToIntFunction<io.netty.channel.Channel> before = ConnectorSession.unsentBytes;
        ConnectorSession.unsentBytes = channel -> unsent.get();
        try
        {
            openSession();
            session.sessions().goAwayAll(ErrorCode.NODE_UNAVAILABLE, "draining", ISOLATED_VIEW);
            session.runQueuedTasks();
            assertThat(session.nextReply().goAway().code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);

            session.passTime(java.time.Duration.ofMillis(ConnectorSession.LINGER_MS + 500));
            assertThat(session.channelOpen()).as("undelivered bytes past the linger").isTrue();
            unsent.set(0);
            session.passTime(java.time.Duration.ofMillis(100));
            assertThat(session.channelOpen()).as("closed once delivered").isFalse();
        }
        finally
        {
            ConnectorSession.unsentBytes = before;
        }
    }

    /** A connector that never reads again after its GoAway left: closed at LINGER_MAX_MS all the same. */
    @Test
    void aSessionWhoseBytesAreNeverDeliveredClosesAtTheLongestLinger()
    {
        final java.util.function.ToIntFunction<io.netty.channel.Channel> before = ConnectorSession.unsentBytes;
        ConnectorSession.unsentBytes = channel -> 65_536;
        try
        {
            openSession();
            session.sessions().goAwayAll(ErrorCode.NODE_UNAVAILABLE, "draining", ISOLATED_VIEW);
            session.runQueuedTasks();
            assertThat(session.nextReply().goAway().code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
            for (long ms = 0; ms < ConnectorSession.LINGER_MAX_MS - 100; ms += 100)
            {
                session.passTime(java.time.Duration.ofMillis(100));
            }
            assertThat(session.channelOpen()).isTrue();
            session.passTime(java.time.Duration.ofMillis(100));
            session.passTime(java.time.Duration.ofMillis(100));
            assertThat(session.channelOpen()).isFalse();
        }
        finally
        {
            ConnectorSession.unsentBytes = before;
        }
    }

    @Test
    void aSessionEndedForARevokedCertificateClosesAsSoonAsItsGoAwayIsOutWithoutLingering()
    {
        openSession();

        session.sessions().forEach(open -> open.goAwayAndClose(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, "revoked"));
        session.runQueuedTasks();

        assertThat(session.nextReply().goAway().code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
        assertThat(session.channelOpen()).as("closed at once: a revoked peer gets nothing more").isFalse();
    }

    @Test
    void aSessionStillInItsTlsHandshakeGetsNoGoAway()
    {
        session = new SessionHarness(journalDirectory, 16);

        session.sessions().goAwayAll(ErrorCode.NODE_UNAVAILABLE, "node 3 is ISOLATED", ISOLATED_VIEW);
        session.runQueuedTasks();

        assertThat(session.pendingReplies()).isZero();
        assertThat(session.channelOpen()).isTrue();
    }

    @Test
    void aNewConnectionToAnIsolatedNodeIsWelcomedWithTheViewThenRedirected()
    {
        session = new SessionHarness(journalDirectory, 16);
        session.nodeState(NodeState.ISOLATED, ISOLATED_VIEW);

        final WelcomeDecoder welcome = session.open().welcome();
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final WelcomeDecoder.NodesDecoder node : welcome.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(ISOLATED_VIEW.nodes());
        session.send(session.cardStatus(1));

        assertThat(session.nextReply().templateId()).isEqualTo(RedirectDecoder.TEMPLATE_ID);
    }

    @Test
    void aViewChangeIsPushedToAnOpenSession()
    {
        openSession();

        session.sessions().pushView(DRAINING_VIEW);
        session.runQueuedTasks();

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(ClusterViewDecoder.TEMPLATE_ID);
        final ClusterViewDecoder view = reply.clusterView();
        assertThat(view.nodeId()).isEqualTo(NODE);
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final ClusterViewDecoder.NodesDecoder node : view.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(DRAINING_VIEW.nodes());
        assertThat(session.metrics().viewPushCount()).isEqualTo(1);
        assertThat(session.channelOpen()).isTrue();
    }

    @Test
    void aSessionAwaitingHelloGetsNoPushedViewItsWelcomeWillCarryIt()
    {
        session = new SessionHarness(journalDirectory, 16);
        session.handshake();

        session.sessions().pushView(DRAINING_VIEW);
        session.runQueuedTasks();

        assertThat(session.pendingReplies()).isZero();
    }

    private void openSession()
    {
        session = new SessionHarness(journalDirectory, 16);
        assertThat(session.open().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
    }

    private static ClusterSnapshot view(final NodeState ownState)
    {
        return new ClusterSnapshot(List.of(
            new ClusterSnapshot.Node(NODE, ownState, "127.0.0.1:7000"),
            new ClusterSnapshot.Node(4, NodeState.ACTIVE, "127.0.0.1:7010")));
    }

    private static AcceptedDecoder accepted(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Accepted expected)").isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        return reply.accepted();
    }

    private static RedirectDecoder redirect(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Redirect expected)").isEqualTo(RedirectDecoder.TEMPLATE_ID);
        return reply.redirect();
    }

    private static List<ClusterSnapshot.Node> nodesOf(final RedirectDecoder redirect)
    {
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final RedirectDecoder.NodesDecoder node : redirect.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        return nodes;
    }
}
