package io.chukei.gateway.node;

import io.chukei.protocol.client.ConnectorClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.cluster.OperatorAction;
import io.chukei.gateway.evidence.EvidenceBundles;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.pki.PeerRole;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page in a real browser (Debian's chromium, headless): a node under load shows its state,
 * rates, latency curves and top municipalities with real values and keeps updating; on a 3-node cluster, a
 * node isolated by an operator shows as ISOLATED with the reason on a peer's page. The browser presents a
 * viewer's certificate to the mutual-TLS admin listener ({@link BrowserCertificate}): it sees no operator
 * action and a POST made from the page is refused. With an operator's certificate the page isolates and
 * releases a node and writes an evidence bundle, each after a confirmation, journaled under the operator's
 * name. Screenshots go to {@code target/status-page/}.
 */
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StatusPageSystemTest
{
    private static final String[] MUNICIPALITIES = {"131016", "011002", "422011"};
    /**
     * Frequent probes; health bounds far above what a loaded test machine with a browser on it causes
     * (event-loop lag of 600 ms was seen), so no node isolates itself: this test is about the page.
     */
    private static final String[] CLUSTER_SETTINGS = {"cluster.probeIntervalMs", "100", "cluster.probeTimeoutMs", "1000",
        "health.maxEventLoopLagMs", "60000", "health.stallWakeMs", "60000", "health.maxJournalAppendMs", "60000",
        "health.maxForwardAgeMs", "600000"};
    /** A single node that neither isolates itself nor writes a bundle of its own on a loaded test machine. */
    private static final String[] CALM_NODE = {"health.maxEventLoopLagMs", "60000", "health.stallWakeMs", "60000",
        "health.maxJournalAppendMs", "60000", "health.maxForwardAgeMs", "600000", "evidence.gcPauseMs", "600000"};
    /** Latency points (5 s each) to wait for before the screenshot; more for a fuller picture (README's). */
    private static final int CURVE_POINTS = Integer.getInteger("chukei.statusPage.curvePoints", 2);
    private static final Path SCREENSHOTS = Path.of("target", "status-page");

    @TempDir
    Path dataDir1;

    @TempDir
    Path dataDir2;

    @TempDir
    Path dataDir3;

    @TempDir
    Path browserDir;

    private final List<RelayNode> nodes = new ArrayList<>();
    private final List<ConnectorClient> connectors = new ArrayList<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final ExecutorService load = Executors.newCachedThreadPool();
    private final List<Future<?>> senders = new ArrayList<>();
    /** Submits answered, per municipality: what the page's totals must come to once the senders stop. */
    private final Map<String, AtomicLong> submitted = new ConcurrentHashMap<>();
    private Browser browser;

    @AfterEach
    void stopEverything() throws InterruptedException
    {
        sending.set(false);
        // Closing the connectors ends the requests the senders wait for.
        connectors.forEach(ConnectorClient::close);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).as("senders stopped").isTrue();
        if (browser != null)
        {
            browser.close();
        }
        nodes.forEach(RelayNode::close);
    }

    @Test
    void aViewerSeesANodeUnderLoadKeepUpdatingWithItsTopMunicipalitiesAndIsOfferedNoAction() throws Exception
    {
        final RelayNode node = start(NodeFixtures.config(dataDir1));
        for (final String municipality : MUNICIPALITIES)
        {
            sendContinuously(node, municipality, dataDir1);
        }
        browser = Browser.open(viewerCertificate(node));
        final WebDriver page = browser.driver();

        page.get(pageOf(node));

        // A latency point closes every 5 s; the rest is start-up on a busy machine.
        await().atMost(Duration.ofSeconds(45 + 5L * CURVE_POINTS)).untilAsserted(() ->
        {
            assertThat(number(page, "#rate-accepted")).isPositive();
            assertThat(number(page, "#rate-ok")).isPositive();
            assertThat(stateOfNode(page, 1)).isEqualTo("ACTIVE");
            assertThat(curvePoints(page, "end_to_end")).isGreaterThanOrEqualTo(CURVE_POINTS);
            assertThat(curvePoints(page, "journal_append")).isGreaterThanOrEqualTo(CURVE_POINTS);
        });
        assertThat(text(page, "[data-stage='end_to_end'] .latest"))
            .matches("p50 [0-9.]+ m?s · p99 [0-9.]+ m?s · p99\\.9 [0-9.]+ m?s · n=[1-9][0-9]*");
        assertThat(text(page, "#read-only").strip()).startsWith("Read-only view.");
        assertThat(rows(page, "top-traffic")).hasSize(MUNICIPALITIES.length)
            .allSatisfy(row -> assertThat(row).matches("\\d{6} [0-9.]+ [1-9][0-9]*"));
        assertThat(rows(page, "upstream")).singleElement().asString().contains("healthy");
        browser.screenshot(SCREENSHOTS.resolve("node-under-load.png"));

        final String firstGenerated = generatedAt(page);
        final long firstTotal = topTrafficTotal(page);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        {
            assertThat(generatedAt(page)).isNotEqualTo(firstGenerated);
            assertThat(topTrafficTotal(page)).isGreaterThan(firstTotal);
        });

        // A viewer: no action offered, and the node refuses one posted from the page anyway.
        assertThat(text(page, "#caller")).isEqualTo("viewer:" + AdminHttp.VIEWER);
        assertThat(count(page, "button[data-action]")).isZero();
        assertThat(count(page, "#operator-panel.hidden, #actions-head.hidden")).isEqualTo(2);
        final List<?> forged = postFromPage(page, "/cluster/isolate?node=1&reason=forged");
        assertThat(forged.get(0)).isEqualTo(403L);
        assertThat((String)forged.get(1)).contains("by viewer:" + AdminHttp.VIEWER, "expected: an operator certificate");
        assertThat(node.nodeStatus().operator()).isEqualTo(OperatorAction.NONE);
        assertThat(audits(node, "action=admin-refused")).singleElement().asString()
            .contains("actor=viewer:" + AdminHttp.VIEWER, "POST /cluster/isolate");

        // The top-municipalities panel counts every Submit: once the senders stop, each total is what was sent.
        sending.set(false);
        for (final Future<?> sender : senders)
        {
            sender.get(60, TimeUnit.SECONDS);
        }
        final Map<String, Long> sent = new TreeMap<>();
        submitted.forEach((municipality, count) -> sent.put(municipality, count.get()));
        assertThat(sent).hasSize(MUNICIPALITIES.length).allSatisfy((municipality, count) -> assertThat(count).isPositive());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(topTrafficTotals(page)).isEqualTo(sent));
    }

    @Test
    void anOperatorIsolatesAndReleasesANodeAndWritesAnEvidenceBundleFromThePage() throws Exception
    {
        // Calm health bounds, and no GC-pause bundle: the node's state and its one bundle are the operator's doing.
        final RelayNode node = start(NodeFixtures.config(dataDir1, CALM_NODE));
        final AdminHttp viewer = AdminHttp.viewer(node);
        sendContinuously(node, MUNICIPALITIES[0], dataDir1);
        browser = Browser.open(operatorCertificate(node));
        final WebDriver page = browser.driver();
        page.get(pageOf(node));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        {
            assertThat(text(page, "#caller")).isEqualTo("operator:" + AdminHttp.OPERATOR);
            assertThat(stateOfNode(page, 1)).isEqualTo("ACTIVE");
            assertThat(count(page, "#cluster button[data-action]")).isEqualTo(3);
        });
        assertThat(count(page, "#read-only.hidden")).isOne();
        assertThat(count(page, "#operator-tools button[data-action='evidence']")).isOne();

        // Cancel sends nothing.
        click(page, "#cluster button[data-action='isolate'][data-node='1']");
        assertThat(waitForDialog(page).getText()).contains("Isolate node 1?", "journaled under operator:" + AdminHttp.OPERATOR);
        page.findElement(By.id("confirm-cancel")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> !page.findElement(By.id("confirm")).isDisplayed());
        assertThat(audits(node, "actor=operator:")).isEmpty();
        assertThat(clusterState(viewer, node, 1)).isEqualTo("ACTIVE");

        click(page, "#cluster button[data-action='isolate'][data-node='1']");
        waitForDialog(page);
        page.findElement(By.id("confirm-reason")).sendKeys("page drill");
        browser.screenshot(SCREENSHOTS.resolve("operator-confirm-isolate.png"));
        page.findElement(By.id("confirm-ok")).click();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        {
            assertThat(clusterState(viewer, node, 1)).isEqualTo("ISOLATED");
            assertThat(text(page, "#action-result")).startsWith("200")
                .contains("isolate node 1 recorded on node 1 by operator:" + AdminHttp.OPERATOR, "now ISOLATED")
                .doesNotContain("audit entry");
            assertThat(count(page, "#action-result.success")).isOne();
            assertThat(stateOfNode(page, 1)).isEqualTo("ISOLATED");
        });
        assertThat(audits(node, "actor=operator:")).singleElement().asString()
            .contains("actor=operator:" + AdminHttp.OPERATOR, "action=cluster-isolate", "reason: page drill");
        browser.screenshot(SCREENSHOTS.resolve("operator-after-isolate.png"));

        click(page, "#cluster button[data-action='release'][data-node='1']");
        assertThat(waitForDialog(page).getText()).contains("Release node 1?");
        page.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        {
            assertThat(clusterState(viewer, node, 1)).isEqualTo("ACTIVE");
            assertThat(text(page, "#action-result")).startsWith("200").contains("release node 1", "now ACTIVE");
            assertThat(stateOfNode(page, 1)).isEqualTo("ACTIVE");
        });
        assertThat(audits(node, "actor=operator:")).hasSize(2).last().asString()
            .contains("actor=operator:" + AdminHttp.OPERATOR, "action=cluster-release");

        click(page, "#operator-tools button[data-action='evidence']");
        waitForDialog(page);
        page.findElement(By.id("confirm-reason")).sendKeys("page drill");
        page.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(text(page, "#action-result")).matches("202 Accepted: bundle \\S+ is being written to \\S+"));
        // Its own bundle, or (on a starved machine, where an upstream-down bundle may be in progress) the one it joined:
        // either way the manifest names the operator and the reason.
        final Path evidence = node.config().dataDir().resolve("evidence");
        final String request = "operator request by operator:" + AdminHttp.OPERATOR + ": page drill";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(EvidenceBundles.list(evidence))
            .anySatisfy(bundle -> assertThat(bundle.resolve("manifest.json")).content().contains(request)));
        if (text(page, "#action-result").matches("202 Accepted: bundle \\S+-operator .*"))
        {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(audits(node, "action=evidence-bundle")).anySatisfy(entry -> assertThat(entry).contains(request)));
        }

        // A journal that can no longer take entries (closed under the node here; a failed disk in FailedFsyncSystemTest):
        // the isolation is carried out, and the page says its audit entry is missing.
        node.journal().close();
        click(page, "#cluster button[data-action='isolate'][data-node='1']");
        waitForDialog(page);
        page.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        {
            assertThat(text(page, "#action-result")).startsWith("200").contains("isolate node 1", "now ISOLATED",
                "Carried out, but its audit entry is not journaled: ");
            assertThat(count(page, "#action-result.warning")).as("shown as a warning, not a success").isOne();
            assertThat(stateOfNode(page, 1)).isEqualTo("ISOLATED");
        });
        browser.screenshot(SCREENSHOTS.resolve("operator-isolate-unaudited.png"));
    }

    @Test
    void aClusterPageShowsTheNodeAnOperatorIsolated() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(6);
        final Path[] dirs = {dataDir1, dataDir2, dataDir3};
        for (int i = 0; i < 3; i++)
        {
            start(NodeFixtures.clusterNode(dirs[i], ports, i, CLUSTER_SETTINGS));
        }
        final RelayNode node1 = nodes.get(0);
        final RelayNode node2 = nodes.get(1);
        sendContinuously(node1, MUNICIPALITIES[0], dataDir1);
        browser = Browser.open(viewerCertificate(node1));
        final WebDriver page = browser.driver();
        page.get(pageOf(node1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(List.of(stateOfNode(page, 1), stateOfNode(page, 2), stateOfNode(page, 3)))
                .containsOnly("ACTIVE"));

        final HttpResponse<String> isolated = AdminHttp.operator(node2).post(node2, "/cluster/isolate?node=2&reason=disk%20swap");
        assertThat(isolated.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        {
            assertThat(stateOfNode(page, 2)).isEqualTo("ISOLATED");
            assertThat(text(page, "#cluster tr[data-node='2'] .reason"))
                .isEqualTo("operator isolated: disk swap");
            // From ACTIVE, or from SUSPECT when a starved machine made probes miss just before.
            assertThat(text(page, "#events")).containsPattern("node 2 seen by node 1: (ACTIVE|SUSPECT) -> ISOLATED");
        });
        assertThat(stateOfNode(page, 1)).isEqualTo("ACTIVE");
        assertThat(stateOfNode(page, 3)).isEqualTo("ACTIVE");
        browser.screenshot(SCREENSHOTS.resolve("cluster-after-isolate.png"));
    }

    private RelayNode start(final io.chukei.gateway.config.RelayConfig config) throws Exception
    {
        final RelayNode node = new RelayNode(config, Clock.systemUTC()).start();
        nodes.add(node);
        return node;
    }

    /** A connector that sends one request after another until the test ends. */
    private void sendContinuously(final RelayNode node, final String municipality, final Path dataDir) throws Exception
    {
        final ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), municipality);
        connectors.add(client);
        final AtomicLong answered = submitted.computeIfAbsent(municipality, m -> new AtomicLong());
        senders.add(load.submit(() ->
        {
            while (sending.get())
            {
                try
                {
                    client.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS);
                    answered.incrementAndGet();
                }
                catch (final Exception ex)
                {
                    if (sending.get())
                    {
                        throw ex;
                    }
                }
            }
            return null;
        }));
    }

    private static String pageOf(final RelayNode node)
    {
        return AdminHttp.uri(node, "/").toString();
    }

    /** The browser holds a viewer's certificate of the node's dev PKI, as a person's browser would. */
    private BrowserCertificate viewerCertificate(final RelayNode node) throws Exception
    {
        return BrowserCertificate.create(browserDir, AdminHttp.files(node.config().pkiDir(), PeerRole.VIEWER, AdminHttp.VIEWER));
    }

    private BrowserCertificate operatorCertificate(final RelayNode node) throws Exception
    {
        return BrowserCertificate.create(browserDir, AdminHttp.files(node.config().pkiDir(), PeerRole.OPERATOR,
            AdminHttp.OPERATOR));
    }

    /** The node's AUDIT entries (request id zero) whose summary contains {@code text}, oldest first. */
    private static List<String> audits(final RelayNode node, final String text)
    {
        return node.journal().trace(0, 0).stream().map(JournalEvent::summary).filter(s -> s.contains(text)).toList();
    }

    /** A node's state in {@code GET /cluster}, read with a viewer's certificate: what the node itself holds. */
    private static String clusterState(final AdminHttp viewer, final RelayNode node, final int nodeId) throws Exception
    {
        final HttpResponse<String> cluster = viewer.get(node, "/cluster");
        assertThat(cluster.statusCode()).isEqualTo(200);
        for (final JsonNode entry : Json.tree(cluster.body()).path("nodes"))
        {
            if (entry.path("id").asInt() == nodeId)
            {
                return entry.path("state").asText();
            }
        }
        throw new AssertionError("node " + nodeId + " not in /cluster: " + cluster.body());
    }

    /**
     * A real click on the first element matching {@code selector} once it is there and enabled. The page redraws the
     * cluster table every 2 s: an element found just before a redraw is stale, and the click is tried again.
     */
    private static void click(final WebDriver page, final String selector)
    {
        await().atMost(Duration.ofSeconds(20))
            .ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException || e instanceof NoSuchElementException)
            .untilAsserted(() ->
            {
                final WebElement element = page.findElement(By.cssSelector(selector));
                assertThat(element.isEnabled()).as("%s enabled", selector).isTrue();
                element.click();
            });
    }

    private static WebElement waitForDialog(final WebDriver page)
    {
        final WebElement dialog = page.findElement(By.id("confirm"));
        await().atMost(Duration.ofSeconds(10)).until(dialog::isDisplayed);
        return dialog;
    }

    /** A POST sent by the page's own script ({@code fetch}, same origin): its status and body. */
    private static List<?> postFromPage(final WebDriver page, final String path)
    {
        page.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return (List<?>)((JavascriptExecutor)page).executeAsyncScript(
            "const done = arguments[arguments.length - 1];" +
                "fetch(arguments[0], { method: 'POST' }).then(r => r.text().then(t => done([r.status, t])))" +
                ".catch(e => done([0, String(e)]));", path);
    }

    private static long count(final WebDriver page, final String selector)
    {
        return (Long)((JavascriptExecutor)page).executeScript("return document.querySelectorAll(arguments[0]).length;",
            selector);
    }

    // Reads go through one script each: the page re-renders every 2 s, and a script runs between renders,
    // so it never sees an element that a render is replacing.

    private static String text(final WebDriver page, final String selector)
    {
        return (String)((JavascriptExecutor)page).executeScript(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", selector);
    }

    private static double number(final WebDriver page, final String selector)
    {
        final String text = text(page, selector);
        return text.matches("[0-9.]+") ? Double.parseDouble(text) : -1;
    }

    private static String stateOfNode(final WebDriver page, final int nodeId)
    {
        return text(page, "#cluster tr[data-node='" + nodeId + "'] .state");
    }

    private static int curvePoints(final WebDriver page, final String stage)
    {
        final Object points = ((JavascriptExecutor)page).executeScript(
            "const e = document.querySelector(arguments[0]); return e ? e.getAttribute('data-points') : '0';",
            "[data-stage='" + stage + "'] path.p99");
        return Integer.parseInt((String)points);
    }

    @SuppressWarnings("unchecked")
    private static List<String> rows(final WebDriver page, final String table)
    {
        return (List<String>)((JavascriptExecutor)page).executeScript(
            "return Array.from(document.querySelectorAll(arguments[0])).map(r => " +
                "Array.from(r.cells).map(c => c.textContent).join(' '));", "#" + table + " tbody tr");
    }

    /** Municipality → total of the top-traffic panel. */
    private static Map<String, Long> topTrafficTotals(final WebDriver page)
    {
        final Map<String, Long> totals = new TreeMap<>();
        for (final String row : rows(page, "top-traffic"))
        {
            final String[] cells = row.split(" ");
            totals.put(cells[0], Long.parseLong(cells[cells.length - 1]));
        }
        return totals;
    }

    private static long topTrafficTotal(final WebDriver page)
    {
        long total = 0;
        for (final String row : rows(page, "top-traffic"))
        {
            total += Long.parseLong(row.substring(row.lastIndexOf(' ') + 1));
        }
        return total;
    }

    private static String generatedAt(final WebDriver page)
    {
        return (String)((JavascriptExecutor)page).executeScript("return document.body.dataset.generatedAt || '';");
    }
}
