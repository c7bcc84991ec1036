package io.chukei.gateway.status;

import io.chukei.gateway.admin.AdminCaller;
import io.chukei.gateway.admin.AdminRoutes;
import io.chukei.gateway.admission.AdmissionMetrics;
import io.chukei.gateway.admission.HeavyHitters;
import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.cluster.PeerProber;
import io.chukei.gateway.cluster.SelfReport;
import io.chukei.gateway.metrics.LatencyCurves;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.upstream.UpstreamPool;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The live status page: {@code GET /} (HTML, CSS and JS from the jar; no CDN, font or script from
 * elsewhere), {@code GET /status.json}, which the page polls every 2 s, and {@code GET /whoami}, the
 * caller's role, from which the page decides whether to offer operator actions. Those actions post to the
 * admin endpoints themselves ({@code /cluster/isolate}, {@code /evidence}, ...), where
 * {@link io.chukei.gateway.admin.AdminAccess} decides again: hiding a button is a courtesy, not the check.
 */
public final class StatusPage
{
    /** Latency curves cover the last 5 minutes. */
    static final Duration CURVE_WINDOW = Duration.ofMinutes(5);
    /** Municipalities listed by traffic and by rejections. */
    static final int TOP = 10;

    private static final String RESOURCES = "/io/chukei/gateway/status/";
    private static final Map<String, String[]> ASSETS = Map.of(
        "/", new String[] {"index.html", "text/html; charset=utf-8"},
        "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
        "/status.css", new String[] {"status.css", "text/css; charset=utf-8"},
        "/status.js", new String[] {"status.js", "text/javascript; charset=utf-8"});

    /** {@code GET /whoami}: who the listener took the caller for, and whether the page should offer actions. */
    public record Caller(String actor, String role, String name, boolean mayAct)
    {
        static Caller of(final AdminCaller caller)
        {
            return new Caller(caller.actor(), caller.isAuthenticated() ? caller.role().kind() : "none", caller.name(),
                caller.role() == PeerRole.OPERATOR);
        }
    }

    /** Where the page's data comes from; every supplier is cheap and thread-safe. */
    public record Sources(
        Clock clock,
        Supplier<SelfReport> self,
        ClusterView view,
        IntFunction<PeerProber.Received> peerReports,
        Supplier<List<UpstreamPool.EndpointStatus>> upstream,
        IntSupplier connections,
        StatusSampler sampler,
        LatencyCurves curves,
        AdmissionMetrics admission,
        RecentEvents events)
    {
    }

    private final Sources sources;
    private final Map<String, String> assets;

    public StatusPage(final Sources sources)
    {
        this.sources = sources;
        final Map<String, String> loaded = new java.util.HashMap<>();
        for (final String[] asset : ASSETS.values())
        {
            loaded.put(asset[0], load(asset[0]));
        }
        this.assets = Map.copyOf(loaded);
    }

    /** True for the paths this page answers. */
    public static boolean serves(final String path)
    {
        return ASSETS.containsKey(path) || path.equals("/status.json") || path.equals("/whoami");
    }

    /** Answers {@code caller}, whom {@link io.chukei.gateway.admin.AdminAccess} let read. */
    public AdminRoutes.Response handle(final AdminCaller caller, final HttpMethod method, final String path)
    {
        if (!HttpMethod.GET.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method: " + method +
                " (expected: GET; the page's own files and data are read-only, its actions post to /cluster/..., /evidence)\n");
        }
        if (path.equals("/status.json"))
        {
            return AdminRoutes.Response.json(HttpResponseStatus.OK, Json.write(report(caller.role() != PeerRole.OPERATOR)));
        }
        if (path.equals("/whoami"))
        {
            return AdminRoutes.Response.json(HttpResponseStatus.OK, Json.write(Caller.of(caller)));
        }
        final String[] asset = ASSETS.get(path);
        return new AdminRoutes.Response(HttpResponseStatus.OK, asset[1], assets.get(asset[0]));
    }

    /** What {@code /status.json} answers a viewer now. */
    public StatusReport report()
    {
        return report(true);
    }

    /** What {@code /status.json} answers now; {@code readOnly}: the caller may not act (not an operator). */
    public StatusReport report(final boolean readOnly)
    {
        final long now = sources.clock().millis();
        final HeavyHitters.Snapshot refused = sources.admission().rejectedByMunicipality();
        final List<StatusReport.Rejections> byRejections = new ArrayList<>();
        long other = refused.other();
        for (final HeavyHitters.Entry entry : refused.top())
        {
            if (byRejections.size() < TOP)
            {
                byRejections.add(new StatusReport.Rejections(entry.key(), entry.count()));
            }
            else
            {
                other += entry.count();
            }
        }
        final List<StatusReport.Stage> stages = new ArrayList<>();
        sources.curves().recent(CURVE_WINDOW).forEach((stage, points) -> stages.add(new StatusReport.Stage(stage, points)));
        return new StatusReport(StatusReport.VERSION, now, sources.view().selfId(), readOnly, sources.connections().getAsInt(),
            nodes(now), sources.upstream().get(), sources.sampler().rates(), sources.sampler().history(),
            new StatusReport.Latency(sources.curves().interval().toMillis(), CURVE_WINDOW.toMillis(), stages),
            sources.sampler().topTraffic(), byRejections, other, sources.events().list(), sources.sampler().topOutcomes());
    }

    private List<StatusReport.Node> nodes(final long now)
    {
        final List<StatusReport.Node> nodes = new ArrayList<>();
        final int selfId = sources.view().selfId();
        for (final ClusterView.NodeJson node : sources.view().view().nodes())
        {
            final boolean self = node.id() == selfId;
            final PeerProber.Received received = self ? null : sources.peerReports().apply(node.id());
            final SelfReport report = self ? sources.self().get() : received == null ? null : received.report();
            nodes.add(new StatusReport.Node(node.id(), self, node.state(), node.reason(), node.operator(), node.connector(),
                node.admin(), node.missedProbes(), self ? Long.valueOf(0) : received == null ? null : now - received.epochMs(),
                report == null ? null : report.inFlight(), report == null ? null : report.oldestUnforwardedMs(),
                report == null ? null : report.eventLoopLagMs(), report == null ? null : report.durability(),
                report == null ? null : report.fsyncP99Ms()));
        }
        return nodes;
    }

    private static String load(final String name)
    {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("status page resource " + RESOURCES + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
