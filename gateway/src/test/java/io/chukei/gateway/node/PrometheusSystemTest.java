package io.chukei.gateway.node;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes a running node every second with the project's
 * rules loaded: every rule evaluates without error, every expression of the rules and of the Grafana
 * dashboard is accepted by its query API, and every metric they name has data (the per-stage histogram
 * excepted until the per-stage work lands). {@code promtool check metrics} finds nothing to say about
 * {@code /metrics}. Fails, never skips, when prometheus or promtool is missing.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusSystemTest
{
    private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    private static final Path RULES = OPS.resolve("prometheus/chukei-rules.yml");
    private static final Path DASHBOARD = OPS.resolve("grafana/chukei-dashboard.json");
    private static final Pattern EXPR_YAML = Pattern.compile("^\\s*expr:\\s*(.+?)\\s*(#.*)?$", Pattern.MULTILINE);
    private static final Pattern EXPR_JSON = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METRIC = Pattern.compile(
        "\\b(chukei[_:][a-zA-Z0-9_:]*|up|disk_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+)\\b(?!\\s*\\()");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process prometheus;
    private int prometheusPort;

    @BeforeEach
    void requireTools()
    {
        for (final String tool : new String[] {"prometheus", "promtool"})
        {
            if (which(tool) == null)
            {
                fail(tool + " not found on PATH (expected: Debian package 'prometheus'; apt-get install prometheus). " +
                    "This test does not skip: the rules and the dashboard are only known to work when it runs.");
            }
        }
    }

    @AfterEach
    void stopPrometheus() throws InterruptedException
    {
        if (prometheus != null)
        {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS))
            {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A node as the rules expect one: fsync histograms (sync mode) and revocation on (tls.crl, a CRL of the node's dev
     * CA), so every series a rule or the dashboard names exists.
     */
    private io.chukei.gateway.config.RelayConfig nodeConfig()
    {
        final Path crl = io.chukei.gateway.pki.DevPki.openOrCreate(dir.resolve("node").resolve("pki"),
            io.chukei.gateway.tls.MunicipalityCodes::isValid).writeCrl(java.time.Duration.ofDays(7));
        return NodeFixtures.config(dir.resolve("node"), "journal.durability", "sync", "tls.crl", crl.toString());
    }

    @Test
    void promtoolFindsNothingToSayAboutTheMetricsPage() throws Exception
    {
        try (RelayNode node = new RelayNode(nodeConfig(),
            Clock.systemUTC()).start())
        {
            answerSomeRequests(node);
            final Path scrape = Files.writeString(dir.resolve("metrics.txt"), node.metrics().scrape());

            final Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
            final String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(promtool.waitFor()).as("promtool check metrics said: %s", said).isZero();
            assertThat(said).isEmpty();
            // The busy municipality is named (top K) and its outcome series and latency histogram pass too.
            assertThat(Files.readString(scrape)).contains("municipality=\"131016\",outcome=\"ok\"}")
                .contains("chukei_municipality_request_duration_seconds_bucket{node=\"1\",municipality=\"131016\",le=\"+Inf\"}");
        }
    }

    @Test
    void everyRuleAndDashboardExpressionEvaluatesAgainstALiveNode() throws Exception
    {
        try (RelayNode node = new RelayNode(nodeConfig(),
            Clock.systemUTC()).start())
        {
            answerSomeRequests(node);
            // JvmGcMetrics registers its pause timer at the first collection; the dashboard plots it.
            System.gc();
            startPrometheus(node.adminAddress().getPort(), AdminHttp.files(node.config().pkiDir(),
                io.chukei.gateway.pki.PeerRole.VIEWER, "prometheus"));

            // Refused connections are expected while Prometheus starts: it listens only once its storage is open.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                .untilAsserted(() -> assertThat(get("/api/v1/targets")).contains("\"health\":\"up\""));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            {
                final String rules = get("/api/v1/rules");
                assertThat(rules).contains("\"health\":\"ok\"").doesNotContain("\"health\":\"err\"")
                    .doesNotContain("\"health\":\"unknown\"");
            });
            answerSomeRequests(node);

            final List<String> expressions = new ArrayList<>(ruleExpressions());
            expressions.addAll(dashboardExpressions());
            for (final String expression : expressions)
            {
                assertThat(query(expression)).as("query %s", expression).contains("\"status\":\"success\"");
            }
            final Set<String> metrics = metricNames(expressions);
            assertThat(metrics).contains("up", "chukei_cluster_peer_state", "chukei_request_stage_seconds_bucket");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            {
                final List<String> missing = new ArrayList<>();
                for (final String metric : metrics)
                {
                    if (query("count(" + metric + ")").contains("\"result\":[]"))
                    {
                        missing.add(metric);
                    }
                }
                assertThat(missing).as("metrics named by the rules or the dashboard without data").isEmpty();
            });
        }
    }

    private static void answerSomeRequests(final RelayNode node) throws Exception
    {
        try (ConnectorClient client = NodeFixtures.connector(node.config().dataDir(), node.connectorAddress(), "131016"))
        {
            final List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
            }
            for (final Submission submission : submissions)
            {
                assertThat(submission.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
            }
        }
    }

    /** Scrapes over mutual TLS with a viewer's certificate, like ops/prometheus/prometheus.yml. */
    private void startPrometheus(final int adminPort, final io.chukei.gateway.pki.CertificateFiles viewer) throws IOException
    {
        prometheusPort = NodeFixtures.freePorts(1)[0];
        final Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + RULES,
            "scrape_configs:",
            "  - job_name: chukei",
            "    scheme: https",
            "    tls_config:",
            "      ca_file: " + viewer.caCertificate(),
            "      cert_file: " + viewer.certificate(),
            "      key_file: " + viewer.privateKey(),
            "      min_version: TLS13",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + adminPort + "']",
            ""));
        prometheus = new ProcessBuilder("prometheus",
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    }

    private static List<String> ruleExpressions() throws IOException
    {
        final List<String> expressions = new ArrayList<>();
        final Matcher m = EXPR_YAML.matcher(Files.readString(RULES));
        while (m.find())
        {
            expressions.add(m.group(1));
        }
        assertThat(expressions).as("expressions in %s", RULES).hasSizeGreaterThan(10);
        return expressions;
    }

    /** The dashboard's queries with Grafana's variables set as "all nodes, all stages". */
    private static List<String> dashboardExpressions() throws IOException
    {
        final List<String> expressions = new ArrayList<>();
        final Matcher m = EXPR_JSON.matcher(Files.readString(DASHBOARD));
        while (m.find())
        {
            expressions.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")
                .replace("$__rate_interval", "1m").replace("$node", ".*").replace("$stage", ".*"));
        }
        assertThat(expressions).as("expressions in %s", DASHBOARD).hasSizeGreaterThan(10);
        return expressions;
    }

    private static Set<String> metricNames(final List<String> expressions)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final String expression : expressions)
        {
            final Matcher m = METRIC.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
            while (m.find())
            {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private String query(final String expression) throws Exception
    {
        return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
    }

    private String get(final String pathAndQuery) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static Path which(final String tool)
    {
        for (final String dirName : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            final Path candidate = Path.of(dirName, tool);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
