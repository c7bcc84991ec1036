package io.chukei.gateway.admin;

import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.cluster.NodeStatus;
import io.chukei.gateway.cluster.NodeVitals;
import io.chukei.gateway.cluster.OperatorAction;
import io.chukei.gateway.cluster.OperatorActions;
import io.chukei.gateway.cluster.SelfReport;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.text.SafeText;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code /cluster}: the view, this node's own state (what peers probe), and the operator's
 * isolate, drain and release. An action names a node: on that node itself it changes the
 * node's own state; on the others it records an override for it, so a hung node that cannot
 * answer is still cut off by its peers. Both are persisted and audited in the journal.
 *
 * <pre>
 * GET  /cluster                                  every node: addresses, state, probes, operator action, reason
 * GET  /cluster/self                             this node: id, state, reason, operator, inFlight, drained, version,
 *                                                oldestUnforwardedMs, eventLoopLagMs, durability, fsyncP99Ms
 * POST /cluster/isolate?node=2&amp;reason=disk     isolate node 2 (reason optional)
 * POST /cluster/drain?node=2                     drain node 2
 * POST /cluster/release?node=2                   undo either
 * </pre>
 */
public final class ClusterAdmin
{
    private static final int MAX_REASON = 200;

    private final ClusterView view;
    private final NodeStatus own;
    private final ActionAudit audit;
    private final NodeVitals vitals;
    private final Consumer<String> actionLog;

    /** {@code actionLog} hears each action as one line (the status page's recent events). */
    public ClusterAdmin(final ClusterView view, final NodeStatus own, final ActionAudit audit, final NodeVitals vitals,
        final Consumer<String> actionLog)
    {
        this.view = view;
        this.own = own;
        this.audit = audit;
        this.vitals = vitals;
        this.actionLog = actionLog;
    }

    /** The answer of an isolate, drain or release; {@code auditWarning} only when its audit entry is at risk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ActionResult(int node, int target, String action, String operator, String previous, String state,
        String auditWarning)
    {
    }

    /** Answers a path under {@code /cluster}. */
    public AdminRoutes.Response handle(final AdminCaller caller, final HttpMethod method, final String path,
        final Map<String, List<String>> query)
    {
        switch (path)
        {
            case "/cluster":
                return get(method, view::json);
            case "/cluster/self":
                return get(method, () -> Json.write(selfReport()));
            case "/cluster/isolate":
                return act(caller, method, OperatorAction.ISOLATED, query);
            case "/cluster/drain":
                return act(caller, method, OperatorAction.DRAINING, query);
            case "/cluster/release":
                return act(caller, method, OperatorAction.NONE, query);
            default:
                return AdminRoutes.Response.text(HttpResponseStatus.NOT_FOUND, "no such path: " + SafeText.of(path) +
                    " (expected: /cluster, /cluster/self, /cluster/isolate, /cluster/drain, /cluster/release)\n");
        }
    }

    private static AdminRoutes.Response get(final HttpMethod method, final java.util.function.Supplier<String> body)
    {
        if (!HttpMethod.GET.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method: " + method + " (expected: GET)\n");
        }
        return AdminRoutes.Response.json(HttpResponseStatus.OK, body.get());
    }

    /** {@code GET /cluster/self}; a 200 with the state is a good probe, whatever the state. */
    public SelfReport selfReport()
    {
        final NodeState state = own.state();
        final int requests = vitals.inFlight();
        return new SelfReport(own.nodeId(), state.name(), own.reason(), own.operator().label(), requests,
            state != NodeState.ACTIVE && requests == 0, SelfReport.VERSION, vitals.oldestUnforwardedMs(),
            vitals.eventLoopLagMs(), vitals.durability(), vitals.fsyncP99Ms());
    }

    private AdminRoutes.Response act(final AdminCaller caller, final HttpMethod method, final OperatorAction action,
        final Map<String, List<String>> query)
    {
        if (!HttpMethod.POST.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method: " + method + " (expected: POST)\n");
        }
        final int node = nodeParameter(query);
        final String reason = reasonParameter(query);
        final OperatorActions.Entry before;
        final java.util.concurrent.CompletableFuture<String> auditWarning;
        synchronized (this)
        {
            before = node == own.nodeId() ? own.operatorAction(action, reason) : view.overridePeer(node, action, reason);
            final String detail = "node " + node + ": " + before.action().label() + " -> " + action.label() +
                (reason.isEmpty() ? "" : " (reason: " + SafeText.of(reason) + ")") + ", recorded on node " + own.nodeId();
            auditWarning = audit.record(caller, "cluster-" + verb(action), detail);
            actionLog.accept(caller.actor() + " cluster-" + verb(action) + " " + detail);
        }
        // The state the action left; the answer itself may wait for the audit entry's fsync (sync mode).
        final String state = view.stateOf(node).name();
        return AdminRoutes.Response.when(auditWarning, warning -> AdminRoutes.Response.json(HttpResponseStatus.OK,
            Json.write(new ActionResult(own.nodeId(), node, verb(action), action.label(), before.action().label(), state,
                warning))));
    }

    private int nodeParameter(final Map<String, List<String>> query)
    {
        final String text = first(query, "node");
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("node: missing (expected: node=ID, one of the cluster's node ids " +
                ids() + ")");
        }
        final int node;
        try
        {
            node = Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("node: '" + text + "' (expected: a node id, one of " + ids() + ")", ex);
        }
        if (!view.isMember(node))
        {
            throw new IllegalArgumentException("node: " + node + " (expected: a node of the cluster list, one of " + ids() +
                ") (rule: unknown node id)");
        }
        return node;
    }

    private static String reasonParameter(final Map<String, List<String>> query)
    {
        final String reason = first(query, "reason");
        if (reason == null)
        {
            return "";
        }
        if (reason.length() > MAX_REASON)
        {
            throw new IllegalArgumentException("reason: " + reason.length() + " characters (expected: at most " +
                MAX_REASON + ")");
        }
        // Refused rather than escaped: the reason is kept, logged, audited and shown as the operator wrote it.
        final int unsafe = SafeText.firstUnsafe(reason);
        if (unsafe >= 0)
        {
            final int codePoint = reason.codePointAt(unsafe);
            throw new IllegalArgumentException("reason: " + SafeText.codePoint(codePoint) + " at character " + unsafe +
                " is " + SafeText.kindOf(codePoint) + " (expected: printable text, at most " + MAX_REASON + " characters) " +
                "(rule: no control, bidi or invisible format characters)");
        }
        // Masked here, once, for everything that carries it (log, view, status page, journal): an operator may quote a
        // resident's case, and a personal number must not reach the log in clear.
        return io.chukei.protocol.text.DigitRuns.mask(reason.strip());
    }

    private List<Integer> ids()
    {
        return view.members().stream().map(member -> member.id()).toList();
    }

    private static String verb(final OperatorAction action)
    {
        switch (action)
        {
            case ISOLATED: return "isolate";
            case DRAINING: return "drain";
            default: return "release";
        }
    }

    private static String first(final Map<String, List<String>> query, final String key)
    {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
