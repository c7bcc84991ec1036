package io.chukei.protocol.client;

import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code nodes} group that Welcome, ClusterView, Redirect and GoAway each carry (the
 * generated decoders share no type) into {@link ClusterNode}s. Views are rare, so the list is
 * allocated per view. Each entry is read in schema order: nodeId, state, then address.
 */
final class ClusterViews
{
    private ClusterViews()
    {
    }

    static List<ClusterNode> of(final WelcomeDecoder.NodesDecoder nodes)
    {
        final List<ClusterNode> view = new ArrayList<>(nodes.count());
        for (final WelcomeDecoder.NodesDecoder node : nodes)
        {
            view.add(new ClusterNode(node.nodeId(), node.state(), node.address()));
        }
        return view;
    }

    static List<ClusterNode> of(final ClusterViewDecoder.NodesDecoder nodes)
    {
        final List<ClusterNode> view = new ArrayList<>(nodes.count());
        for (final ClusterViewDecoder.NodesDecoder node : nodes)
        {
            view.add(new ClusterNode(node.nodeId(), node.state(), node.address()));
        }
        return view;
    }

    static List<ClusterNode> of(final RedirectDecoder.NodesDecoder nodes)
    {
        final List<ClusterNode> view = new ArrayList<>(nodes.count());
        for (final RedirectDecoder.NodesDecoder node : nodes)
        {
            view.add(new ClusterNode(node.nodeId(), node.state(), node.address()));
        }
        return view;
    }

    static List<ClusterNode> of(final GoAwayDecoder.NodesDecoder nodes)
    {
        final List<ClusterNode> view = new ArrayList<>(nodes.count());
        for (final GoAwayDecoder.NodesDecoder node : nodes)
        {
            view.add(new ClusterNode(node.nodeId(), node.state(), node.address()));
        }
        return view;
    }
}
