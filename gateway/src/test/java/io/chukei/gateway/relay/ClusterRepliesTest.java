package io.chukei.gateway.relay;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Redirect, ClusterView and GoAway carry the view; each decodes back, in schema order, to what was encoded. */
class ClusterRepliesTest
{
    private static final ClusterSnapshot VIEW = new ClusterSnapshot(List.of(
        new ClusterSnapshot.Node(1, NodeState.ISOLATED, "10.0.0.1:7400"),
        new ClusterSnapshot.Node(2, NodeState.ACTIVE, "10.0.0.2:7400"),
        new ClusterSnapshot.Node(3, NodeState.SUSPECT, "relay-3.example.lg.jp:7400")));

    private final MessageReader reader = new MessageReader();

    @Test
    void redirectNamesTheRequestTheSendersStateAndTheView()
    {
        decode(Replies.current().redirect(ByteBufAllocator.DEFAULT, 7, 8, 1, NodeState.DRAINING, VIEW));

        assertThat(reader.templateId()).isEqualTo(RedirectDecoder.TEMPLATE_ID);
        final RedirectDecoder redirect = reader.redirect();
        assertThat(redirect.requestId().hi()).isEqualTo(7);
        assertThat(redirect.requestId().lo()).isEqualTo(8);
        assertThat(redirect.nodeId()).isEqualTo(1);
        assertThat(redirect.state()).isEqualTo(NodeState.DRAINING);
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final RedirectDecoder.NodesDecoder node : redirect.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(VIEW.nodes());
    }

    @Test
    void clusterViewCarriesTheSenderAndEveryNode()
    {
        decode(Replies.current().clusterView(ByteBufAllocator.DEFAULT, 2, VIEW));

        assertThat(reader.templateId()).isEqualTo(ClusterViewDecoder.TEMPLATE_ID);
        final ClusterViewDecoder view = reader.clusterView();
        assertThat(view.nodeId()).isEqualTo(2);
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final ClusterViewDecoder.NodesDecoder node : view.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(VIEW.nodes());
    }

    @Test
    void goAwayCarriesCodeViewAndDetailAfterTheGroup()
    {
        decode(Replies.current().goAway(ByteBufAllocator.DEFAULT, 1, ErrorCode.NODE_UNAVAILABLE, VIEW,
            "node 1 is ISOLATED (operator isolated: 断線)"));

        assertThat(reader.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
        final GoAwayDecoder goAway = reader.goAway();
        assertThat(goAway.nodeId()).isEqualTo(1);
        assertThat(goAway.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        for (final GoAwayDecoder.NodesDecoder node : goAway.nodes())
        {
            nodes.add(new ClusterSnapshot.Node(node.nodeId(), node.state(), node.address()));
        }
        assertThat(nodes).isEqualTo(VIEW.nodes());
        assertThat(goAway.detail()).isEqualTo("node 1 is ISOLATED (operator isolated: 断線)");
    }

    @Test
    void anEmptyViewIsAnEmptyGroup()
    {
        decode(Replies.current().clusterView(ByteBufAllocator.DEFAULT, 2, new ClusterSnapshot(List.of())));

        assertThat(reader.clusterView().nodes().count()).isZero();
    }

    /** Copies the frame's bytes, releases the frame, and points the reader at the message after the SOFH header. */
    private void decode(final ByteBuf frame)
    {
        final byte[] bytes = ByteBufUtil.getBytes(frame);
        assertThat(frame.release()).isTrue();
        assertThat(reader.wrap(new UnsafeBuffer(bytes), SofhFrame.HEADER_LENGTH, bytes.length - SofhFrame.HEADER_LENGTH))
            .isEqualTo(ErrorCode.NO_ERROR);
    }
}
