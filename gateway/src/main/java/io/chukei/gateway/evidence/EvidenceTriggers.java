package io.chukei.gateway.evidence;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.chukei.gateway.health.HealthListener;
import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The automatic triggers of evidence bundles, each of which only hands over to the recorder: the node's
 * health checks (lag, forward age, journal, waking from a stall), GC pauses from the JVM's notifications,
 * peers going SUSPECT in this node's view, and every card-management endpoint down (watched once a second).
 * Together these cover a failed {@code /health/ready}: it fails for a self-isolation (a health trigger), for no
 * endpoint answering, or for an operator's isolate or drain (not a fault).
 */
public final class EvidenceTriggers implements HealthListener, AutoCloseable
{
    private final EvidenceRecorder recorder;
    private final int selfId;
    private final Map<Integer, NodeState> peers = new HashMap<>();
    private final List<Runnable> undo = new ArrayList<>();
    private ScheduledExecutorService watcher;

    public EvidenceTriggers(final EvidenceRecorder recorder, final int selfId)
    {
        this.recorder = recorder;
        this.selfId = selfId;
    }

    @Override
    public void unhealthy(final String reason)
    {
        recorder.trigger(Trigger.ofHealthReason(reason), reason);
    }

    @Override
    public void healthy()
    {
    }

    /** A ClusterView listener: a peer newly SUSPECT in this node's view. Runs under the view's lock; hands over. */
    public void viewChanged(final ClusterSnapshot view, final NodeState ownBefore, final NodeState ownAfter,
        final String ownReason)
    {
        for (final ClusterSnapshot.Node node : view.nodes())
        {
            if (node.nodeId() == selfId)
            {
                continue;
            }
            final NodeState before = peers.put(node.nodeId(), node.state());
            if (node.state() == NodeState.SUSPECT && before != null && before != NodeState.SUSPECT)
            {
                recorder.trigger(Trigger.PEER_SUSPECT, "node " + node.nodeId() + " SUSPECT in the view of node " + selfId +
                    " (was " + before + ")");
            }
        }
    }

    /** GC pauses of at least {@code minPauseMs}, from every collector's notifications. */
    public EvidenceTriggers watchGcPauses(final long minPauseMs)
    {
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (!(gc instanceof NotificationEmitter emitter))
            {
                continue;
            }
            final NotificationListener listener = (notification, handback) -> gcNotified(notification, minPauseMs);
            emitter.addNotificationListener(listener, null, null);
            undo.add(() ->
            {
                try
                {
                    emitter.removeNotificationListener(listener);
                }
                catch (final ListenerNotFoundException ex)
                {
                    // Already gone.
                }
            });
        }
        return this;
    }

    private void gcNotified(final Notification notification, final long minPauseMs)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        // Concurrent cycles (G1's and ZGC's "Cycles") report their whole length, not a pause.
        final boolean pause = !info.getGcName().contains("Cycles") && !info.getGcName().contains("Concurrent");
        if (pause && info.getGcInfo().getDuration() >= minPauseMs)
        {
            recorder.trigger(Trigger.GC_PAUSE, info.getGcName() + " " + info.getGcAction() + " (" + info.getGcCause() +
                ") paused " + info.getGcInfo().getDuration() + " ms (evidence.gcPauseMs " + minPauseMs + ")");
        }
    }

    /** Once a second: a bundle when every card-management endpoint is down (not again until one is back). */
    public EvidenceTriggers watchUpstream(final BooleanSupplier upstreamDown)
    {
        watcher = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "chukei-evidence-watch");
            thread.setDaemon(true);
            return thread;
        });
        final boolean[] was = new boolean[1];
        watcher.scheduleWithFixedDelay(() ->
        {
            final boolean down = upstreamDown.getAsBoolean();
            if (down && !was[0])
            {
                recorder.trigger(Trigger.UPSTREAM_DOWN, "every card-management endpoint is down");
            }
            was[0] = down;
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close()
    {
        undo.forEach(Runnable::run);
        if (watcher != null)
        {
            watcher.shutdownNow();
        }
    }
}
