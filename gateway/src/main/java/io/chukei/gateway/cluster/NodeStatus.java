package io.chukei.gateway.cluster;

import io.chukei.protocol.sbe.NodeState;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's own state: ISOLATED when an operator isolated it (persisted) or its health
 * monitor isolated it; else DRAINING when an operator drained it (persisted); else ACTIVE.
 * SUSPECT is never a node's own state: only peers assign it.
 *
 * <p>{@link #state()} is a volatile read, cheap enough for every Submit. Changes are serialised;
 * listeners run on the changing thread, in order, and must not block.
 */
public final class NodeStatus
{
    /** Told about every change of the effective state. */
    @FunctionalInterface
    public interface Listener
    {
        void changed(NodeState before, NodeState after, String reason);
    }

    private final int nodeId;
    private final OperatorActions actions;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private String selfIsolation;
    private String stopping;
    private volatile NodeState state;
    private volatile String reason;

    /** Starts in the state the operator actions persisted for {@code nodeId}. */
    public NodeStatus(final int nodeId, final OperatorActions actions)
    {
        this.nodeId = nodeId;
        this.actions = actions;
        recompute();
    }

    public int nodeId()
    {
        return nodeId;
    }

    public NodeState state()
    {
        return state;
    }

    /** Why the node is not ACTIVE ("operator: ...", "self: ..."); empty when ACTIVE. */
    public String reason()
    {
        return reason;
    }

    public OperatorAction operator()
    {
        return actions.get(nodeId).action();
    }

    /** The health monitor's reason for the current self-isolation, or null when there is none. */
    public synchronized String selfIsolation()
    {
        return selfIsolation;
    }

    public void addListener(final Listener listener)
    {
        listeners.add(listener);
    }

    /**
     * An operator's isolate, drain or release (NONE) of this node: persisted before it takes effect.
     * A release does not end a self-isolation; only {@link #selfRecovered()} does.
     */
    public synchronized OperatorActions.Entry operatorAction(final OperatorAction action, final String reason)
    {
        final OperatorActions.Entry before = actions.record(nodeId, action, reason);
        update();
        return before;
    }

    /** Health hook: the node's own health failed; it takes no new work until {@link #selfRecovered()}. */
    public synchronized void selfIsolate(final String why)
    {
        selfIsolation = why == null || why.isBlank() ? "unhealthy" : why;
        update();
    }

    /**
     * The process is stopping (SIGTERM): DRAINING until it exits, so connectors move on and peers see it
     * drain. Not persisted: the next start begins ACTIVE (unless an operator's action says otherwise).
     */
    public synchronized void stopping(final String why)
    {
        stopping = why == null || why.isBlank() ? "stopping" : why;
        update();
    }

    /** Health hook: healthy again; the node rejoins unless an operator isolated or drained it. */
    public synchronized void selfRecovered()
    {
        selfIsolation = null;
        update();
    }

    private void update()
    {
        final NodeState before = state;
        recompute();
        if (before != state)
        {
            for (final Listener listener : listeners)
            {
                listener.changed(before, state, reason);
            }
        }
    }

    private void recompute()
    {
        final OperatorActions.Entry operator = actions.get(nodeId);
        if (operator.action() == OperatorAction.ISOLATED)
        {
            reason = "operator isolated" + suffix(operator.reason());
            state = NodeState.ISOLATED;
        }
        else if (selfIsolation != null)
        {
            reason = "self-isolated: " + selfIsolation;
            state = NodeState.ISOLATED;
        }
        else if (stopping != null)
        {
            reason = "stopping: " + stopping;
            state = NodeState.DRAINING;
        }
        else if (operator.action() == OperatorAction.DRAINING)
        {
            reason = "operator drain" + suffix(operator.reason());
            state = NodeState.DRAINING;
        }
        else
        {
            reason = "";
            state = NodeState.ACTIVE;
        }
    }

    private static String suffix(final String operatorReason)
    {
        return operatorReason == null || operatorReason.isBlank() ? "" : ": " + operatorReason;
    }
}
