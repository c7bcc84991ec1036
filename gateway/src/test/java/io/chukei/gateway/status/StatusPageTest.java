package io.chukei.gateway.status;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.metrics.LatencyCurves;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.RejectReason;
import io.chukei.gateway.admin.AdminCaller;
import io.chukei.gateway.admin.AdminRoutes;
import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.cluster.NodeStatus;
import io.chukei.gateway.cluster.OperatorActions;
import io.chukei.gateway.cluster.SelfReport;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.upstream.UpstreamPool;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /status.json} stays small with 1,741 busy municipalities; the page's files come from the jar only. */
class StatusPageTest
{
    /** Japan's municipalities: every one connected, sending and refused. */
    private static final int MUNICIPALITIES = 1_741;
    private static final AdminCaller VIEWER = new AdminCaller(PeerRole.VIEWER, "bob");
    private static final AdminCaller OPERATOR = new AdminCaller(PeerRole.OPERATOR, "alice");

    @TempDir
    Path dataDir;

    private final RelayMetrics metrics = new RelayMetrics(1);
    private final MunicipalityRateLimiter limiter = new MunicipalityRateLimiter(
        AdmissionConfig.builder().defaultRate(100_000, 100_000).build());
    private final StatusSampler sampler = new StatusSampler(metrics, limiter, 10, 150);
    private final RecentEvents events = new RecentEvents(Clock.systemUTC(), 50);

    @Test
    void theJsonOfABusyThreeNodeClusterWithEveryMunicipalityStaysUnder200Kilobytes() throws IOException
    {
        final StatusPage page = page();
        for (int round = 0; round <= 150; round++)
        {
            for (int m = 0; m < MUNICIPALITIES; m++)
            {
                limiter.tryAcquire(municipality(m));
            }
            sampler.tick(round * 2_000L);
        }
        for (int m = 0; m < MUNICIPALITIES; m++)
        {
            metrics.admission().rejected(RejectReason.RATE_LIMITED, Priority.values()[0], municipality(m));
        }
        for (int i = 0; i < 60; i++)
        {
            events.add("operator", "admin-http cluster-isolate node 2: none -> isolated (reason: " + "x".repeat(200) + ")");
        }

        final AdminRoutes.Response response = page.handle(VIEWER, HttpMethod.GET, "/status.json");

        final int bytes = response.body().getBytes(StandardCharsets.UTF_8).length;
        System.out.println("status.json with " + MUNICIPALITIES + " municipalities: " + bytes + " bytes");
        assertThat(bytes).as("status.json bytes").isLessThanOrEqualTo(200_000);
        final JsonNode json = Json.tree(response.body());
        assertThat(json.path("nodes")).hasSize(3);
        assertThat(json.path("topByTraffic")).hasSize(StatusPage.TOP);
        assertThat(json.path("topByRejections")).hasSize(StatusPage.TOP);
        long shown = 0;
        for (final JsonNode entry : json.path("topByRejections"))
        {
            shown += entry.path("count").asLong();
        }
        // Space-saving counts may overstate a top entry; top and other still add up to every refusal.
        assertThat(shown + json.path("otherRejections").asLong()).isEqualTo(MUNICIPALITIES);
        assertThat(json.path("events")).hasSize(50);
        assertThat(json.path("rateHistory")).hasSize(150);
        assertThat(json.path("latency").path("stages").findValuesAsText("stage")).contains("end_to_end", "upstream");
        assertThat(json.path("readOnly").asBoolean()).isTrue();
    }

    @Test
    void aPeerThatNeverAnsweredHasNoVitalsAndThisNodeHasItsOwn() throws IOException
    {
        final JsonNode nodes = Json.tree(page().handle(VIEWER, HttpMethod.GET, "/status.json").body()).path("nodes");

        assertThat(nodes.get(0).path("self").asBoolean()).isTrue();
        assertThat(nodes.get(0).path("eventLoopLagMs").asLong()).isEqualTo(4);
        assertThat(nodes.get(1).path("state").asText()).isEqualTo("ACTIVE");
        assertThat(nodes.get(1).path("eventLoopLagMs").isNull()).isTrue();
        assertThat(nodes.get(1).path("reportAgeMs").isNull()).isTrue();
    }

    @Test
    void thePageLoadsNothingFromAnotherOrigin() throws IOException
    {
        final StatusPage page = page();

        final String html = page.handle(VIEWER, HttpMethod.GET, "/").body();
        final String css = page.handle(VIEWER, HttpMethod.GET, "/status.css").body();
        final String js = page.handle(VIEWER, HttpMethod.GET, "/status.js").body();

        assertThat(html).contains("<script src=\"/status.js\"").contains("href=\"/status.css\"").doesNotContain("://");
        assertThat(css).doesNotContain("://").doesNotContain("@import");
        // The one absolute URL is SVG's namespace name, which nothing fetches.
        assertThat(js.replace("'http://www.w3.org/2000/svg'", "")).doesNotContain("://");
    }

    @Test
    void thePageIsReadOnly() throws IOException
    {
        final AdminRoutes.Response response = page().handle(VIEWER, HttpMethod.POST, "/status.json");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(response.body()).contains("read-only");
    }

    @Test
    void whoamiTellsTheCallersRoleAndOnlyAnOperatorMayAct() throws IOException
    {
        final StatusPage page = page();

        final JsonNode operator = Json.tree(page.handle(OPERATOR, HttpMethod.GET, "/whoami").body());
        final JsonNode viewer = Json.tree(page.handle(VIEWER, HttpMethod.GET, "/whoami").body());

        assertThat(operator.path("actor").asText()).isEqualTo("operator:alice");
        assertThat(operator.path("role").asText()).isEqualTo("operator");
        assertThat(operator.path("mayAct").asBoolean()).isTrue();
        assertThat(viewer.path("actor").asText()).isEqualTo("viewer:bob");
        assertThat(viewer.path("mayAct").asBoolean()).isFalse();
        assertThat(Json.tree(page.handle(OPERATOR, HttpMethod.GET, "/status.json").body()).path("readOnly").asBoolean())
            .isFalse();
        assertThat(Json.tree(page.handle(VIEWER, HttpMethod.GET, "/status.json").body()).path("readOnly").asBoolean())
            .isTrue();
        assertThat(page.handle(OPERATOR, HttpMethod.POST, "/whoami").status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    /** The worst case the page carries: every stage with 120 points (10 minutes at 5 s), none empty. */
    private static final LatencyCurves FULL_CURVES = new LatencyCurves()
    {
        @Override
        public Map<String, List<Point>> recent(final Duration window)
        {
            final Map<String, List<Point>> curves = new LinkedHashMap<>();
            for (final Stage stage : Stage.values())
            {
                final List<Point> points = new ArrayList<>();
                for (int i = 0; i < 120; i++)
                {
                    points.add(new Point(1_800_000_000_000L + i * 5_000L, 1_000 + i, 1.25, 3.5, 12.75, 40.125, 95.5));
                }
                curves.put(stage.tag(), points);
            }
            return curves;
        }

        @Override
        public Duration interval()
        {
            return Duration.ofSeconds(5);
        }
    };

    private StatusPage page() throws IOException
    {
        final OperatorActions actions = OperatorActions.load(dataDir);
        final NodeStatus own = new NodeStatus(1, actions);
        final ClusterView view = new ClusterView(ClusterMember.parseList("cluster.nodes",
            "1@h:7400/h:7500,2@h:7410/h:7510,3@h:7420/h:7520"), own, actions, 3, Clock.systemUTC());
        return new StatusPage(new StatusPage.Sources(Clock.systemUTC(),
            () -> new SelfReport(1, "ACTIVE", "", "none", 3, false, SelfReport.VERSION, 12L, 4L, "sync", 1.5),
            view, id -> null,
            () -> List.of(new UpstreamPool.EndpointStatus("10.0.0.1:7600", true, 0, 2.5),
                new UpstreamPool.EndpointStatus("10.0.0.2:7600", false, 12_000, null)),
            () -> MUNICIPALITIES, sampler, FULL_CURVES, metrics.admission(), events));
    }

    private static String municipality(final int i)
    {
        return MunicipalityCodes.format(10_000 + i * 7);
    }
}
