package io.chukei.gateway.cluster;

import io.chukei.protocol.sbe.NodeState;

import java.util.Locale;

/** What an operator last said about a node; persisted until {@code release}. */
public enum OperatorAction
{
    NONE(NodeState.ACTIVE),
    DRAINING(NodeState.DRAINING),
    ISOLATED(NodeState.ISOLATED);

    private final NodeState state;

    OperatorAction(final NodeState state)
    {
        this.state = state;
    }

    /** The node state the action alone implies. */
    public NodeState state()
    {
        return state;
    }

    /** Lower case, as in JSON and in the state file: none, draining, isolated. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The inverse of {@link #label()}; {@code what} names the source in the error. */
    public static OperatorAction ofLabel(final String what, final String label)
    {
        for (final OperatorAction action : values())
        {
            if (action.label().equals(label))
            {
                return action;
            }
        }
        throw new IllegalArgumentException(what + ": '" + label + "' (expected one of: none, draining, isolated)");
    }
}
