package io.chukei.gateway.node;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections that never become sessions — idle sockets, TLS sessions without Hello — lock no
 * one else out (gateway/README.md, "Connector listener"). The node, the attacker and the
 * bystander each run in a process of their own, so what one does (garbage collection, Netty's
 * paranoid leak detection in this JVM) is not measured as another's latency.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PreHelloAdmissionSystemTest
{
    private static final String BYSTANDER = "422011";
    private static final int BYSTANDER_RATE = 200;
    private static final int IDLE_SOCKETS = 1000;
    private static final int SESSIONS_WITHOUT_HELLO = 200;
    private static final int NEW_CONNECTORS = 20;
    private static final Duration WELCOME_WITHIN = Duration.ofSeconds(1);
    private static final int ROUNDS = 3;
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(4);
    /**
     * The attack may add this much to the bystander's p99 even where twice its quiet p99 is less: with a quiet p99 of
     * ~5 ms, "2x" left 5 ms, less than the scheduler's share of two cores that four JVMs contend for (a CI run of
     * 6 Dec failed at 11.7 ms against 9.7 ms, its quiet windows themselves spreading 4.5-9.9 ms). A locked-out or
     * starved bystander, what this test is about, waits hundreds of milliseconds or fails, and still fails it.
     */
    private static final long SCHEDULING_SLACK_US = 10_000;

    @TempDir
    Path dataDir;

    /**
     * Rounds of quiet, then attack: the bystander's p99 is compared as the median of the attack windows' p99s
     * over the median of the quiet windows' p99s. These machines are shared (load averages of 10-30 seen while
     * this was written): alternating windows, with medians, puts drifting background load on both sides of the
     * ratio, where one quiet window followed by one attack window would measure the drift. A first round is
     * not measured: the node's first TLS handshakes and refusals run interpreted code (one such round showed a
     * 300 ms p99 once, 30-45 ms after), and the test is about holding sockets, not about a cold JIT.
     */
    @Test
    void idleSocketsAndSessionsWithoutHelloLockNoNewConnectorOutAndLeaveTheBystanderAlone() throws Exception
    {
        final Path nodeData = dataDir.resolve("node");
        final DevPki pki = DevPki.openOrCreate(nodeData.resolve("pki"), MunicipalityCodes::isValid);
        final int connectorPort = NodeProcess.freePort();
        final int adminPort = NodeProcess.freePort();
        final InetSocketAddress node = new InetSocketAddress("127.0.0.1", connectorPort);
        final List<String> codes = municipalityCodes(NEW_CONNECTORS + 8);
        final List<SslContext> newConnectorCertificates = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++)
        {
            final SslContext certificate = TlsContexts.client(pki.issueConnector(codes.get(i)), PeerPolicy.relayClient());
            if (i < NEW_CONNECTORS)
            {
                newConnectorCertificates.add(certificate);
            }
        }
        final List<Long> quietP99 = new ArrayList<>();
        final List<Long> attackP99 = new ArrayList<>();
        final List<Long> welcomeMillis = new ArrayList<>();
        long helloRequiredGoAways = 0;
        BystanderProcess.Interval lastAttackWindow = null;
        try (NodeProcess process = new NodeProcess(nodeConfig(connectorPort, adminPort), nodeData).start();
             BystanderProcess bystander = BystanderProcess.start(connectorPort, nodeData.resolve("pki"), BYSTANDER, BYSTANDER_RATE))
        {
            awaitResults(bystander, 5 * BYSTANDER_RATE);
            for (int round = 0; round <= ROUNDS; round++)
            {
                final boolean measured = round > 0;
                bystander.takeInterval();
                final BystanderProcess.Interval quietWindow = measure(bystander, QUIET_WINDOW);
                final long quiet = quietWindow.p99();
                // 1,000 idle sockets from 127.0.0.1; 200 sessions with valid certificates that never say Hello, 25 from each
                // of 127.0.1.1-8 (within an address's bound, so all get through TLS). Each one closed is opened again 1 s later.
                try (AttackerProcess attacker = AttackerProcess.start(connectorPort, nodeData.resolve("pki"), IDLE_SOCKETS,
                    SESSIONS_WITHOUT_HELLO, codes.subList(NEW_CONNECTORS, codes.size())))
                {
                    await().atMost(Duration.ofSeconds(30)).failFast(() -> !attacker.output().isEmpty() &&
                        attacker.output().contains("Exception")).until(() -> attacker.handshakes.get() >= SESSIONS_WITHOUT_HELLO);

                    final List<Long> welcomes = newConnectorsOneEvery200Ms(node, newConnectorCertificates, codes);
                    final BystanderProcess.Interval attackWindow = bystander.takeInterval();
                    final long underAttack = attackWindow.p99();
                    lastAttackWindow = attackWindow;
                    System.out.printf("round %d: quiet p50/p90/p99 %d/%d/%d us (%d), attack %d/%d/%d us (%d)%n", round,
                        quietWindow.p50(), quietWindow.p90(), quiet, quietWindow.count(),
                        attackWindow.p50(), attackWindow.p90(), underAttack, attackWindow.count());
                    await().atMost(Duration.ofSeconds(10)).until(() -> attacker.helloRequiredGoAways.get() >= SESSIONS_WITHOUT_HELLO);
                    if (measured)
                    {
                        quietP99.add(quiet);
                        attackP99.add(underAttack);
                        welcomeMillis.addAll(welcomes);
                        helloRequiredGoAways += attacker.helloRequiredGoAways.get();
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge(scrape(adminPort), "chukei_connections_prehello") == 0);
            }
            final String metrics = scrape(adminPort);
            System.out.printf("pre-Hello attack, %d measured rounds: bystander p99 quiet %s us, under attack %s us (medians %d / %d us); " +
                    "new connectors' Welcome after %s ms; node: %s%n", ROUNDS, quietP99, attackP99, median(quietP99),
                median(attackP99), welcomeMillis,
                metrics.lines().filter(line -> line.startsWith("chukei_connections")).toList());

            assertThat(welcomeMillis).as("new connectors from 127.0.0.2: ms to Welcome").hasSize(ROUNDS * NEW_CONNECTORS)
                .allSatisfy(ms -> assertThat(ms).isLessThan(WELCOME_WITHIN.toMillis()));
            assertThat(median(attackP99)).as("bystander p99 under attack, median of %d windows, us (quiet: %s)", ROUNDS, quietP99)
                .isLessThanOrEqualTo(Math.max(2 * median(quietP99), median(quietP99) + SCHEDULING_SLACK_US));
            assertThat(lastAttackWindow.failures()).as("bystander requests without a Result (the first: %s)",
                lastAttackWindow.firstFailure()).isZero();
            assertThat(helloRequiredGoAways).as("sessions without Hello sent away with HELLO_REQUIRED")
                .isGreaterThanOrEqualTo(ROUNDS * SESSIONS_WITHOUT_HELLO);
            assertThat(counter(metrics, "chukei_connections_refused_total", "reason=\"address_bound\""))
                .isGreaterThanOrEqualTo(ROUNDS * (IDLE_SOCKETS - 32));
            assertThat(counter(metrics, "chukei_connections_timeouts_total", "deadline=\"hello\""))
                .isGreaterThanOrEqualTo(ROUNDS * SESSIONS_WITHOUT_HELLO);
        }
    }

    @Test
    void aSessionSendingOnlyHeartbeatsIsClosedAtTheHelloDeadlineAndHoldsNoPlaceOfItsMunicipality() throws Exception
    {
        final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "connector.helloTimeoutMs", "2000",
            "admission.connections.perMunicipality", "1"), Clock.systemUTC()).start())
        {
            final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
            try (RawConnector heartbeatsOnly = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector("131016"), PeerPolicy.relayClient())))
            {
                assertThat(heartbeatsOnly.handshake()).isTrue();
                final long handshakeDone = System.nanoTime();
                heartbeats.scheduleAtFixedRate(() -> heartbeatsOnly.send(new HeartbeatEncoder(),
                    heartbeat -> heartbeat.timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE)),
                    0, 200, TimeUnit.MILLISECONDS);

                try (ConnectorClient genuine = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
                {
                    assertThat(genuine.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS))
                        .as("the genuine connector, while the Heartbeat-only session is open").isInstanceOf(Answer.Result.class);
                }

                final MessageReader goAway = heartbeatsOnly.next();
                final long goAwayAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handshakeDone);
                assertThat(goAway.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
                assertThat(goAway.goAway().code()).isEqualTo(ErrorCode.HELLO_REQUIRED);
                heartbeatsOnly.closedFuture().get(5, TimeUnit.SECONDS);
                // The client's handshake ends a little before or after the node's; the GoAway must not be early by much,
                // and must come however many Heartbeats the session sends (2 s deadline + 1 s grace, plus a loaded machine).
                assertThat(goAwayAfterMs).as("ms from the handshake to GoAway").isBetween(1000L, 6000L);
                assertThat(node.metrics().scrape()).contains("chukei_connections_timeouts_total{deadline=\"hello\",node=\"1\"} 1.0");
            }
        }
        finally
        {
            heartbeats.shutdownNow();
        }
    }

    /** New connectors from 127.0.0.2, one every 200 ms: milliseconds from connect to Welcome, each. */
    private static List<Long> newConnectorsOneEvery200Ms(final InetSocketAddress node, final List<SslContext> certificates,
        final List<String> codes) throws Exception
    {
        final InetAddress local = InetAddress.getByName("127.0.0.2");
        final List<Long> millis = new ArrayList<>();
        final long start = System.nanoTime();
        for (int i = 0; i < certificates.size(); i++)
        {
            final long due = start + TimeUnit.MILLISECONDS.toNanos(200L * i);
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60)).until(() -> System.nanoTime() - due >= 0);
            final long connectAt = System.nanoTime();
            try (RawConnector connector = new RawConnector(node, local, certificates.get(i)))
            {
                if (!connector.handshake())
                {
                    millis.add(Long.MAX_VALUE);
                    continue;
                }
                connector.hello(codes.get(i));
                final MessageReader reply = connector.next();
                millis.add(reply.templateId() == WelcomeDecoder.TEMPLATE_ID ?
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectAt) : Long.MAX_VALUE);
            }
        }
        return millis;
    }

    private static BystanderProcess.Interval measure(final BystanderProcess bystander, final Duration duration) throws IOException
    {
        final long end = System.nanoTime() + duration.toNanos();
        await().pollInterval(Duration.ofMillis(50)).atMost(duration.plusSeconds(30)).until(() -> System.nanoTime() - end >= 0);
        return bystander.takeInterval();
    }

    /** Until the bystander has had {@code count} Results: its session is open and the node's request path warm. */
    private static void awaitResults(final BystanderProcess bystander, final long count)
    {
        final long[] seen = new long[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        {
            seen[0] += bystander.takeInterval().count();
            return seen[0] >= count;
        });
    }

    private Path nodeConfig(final int connectorPort, final int adminPort) throws IOException
    {
        final Path config = dataDir.resolve("node.conf");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "connector.listen=127.0.0.1:" + connectorPort,
            // Scraped on the plain listener (health and metrics, no client certificate): the loopback set-up for Prometheus.
            "admin.listen=127.0.0.1:0",
            "admin.plainListen=127.0.0.1:" + adminPort,
            "cardsim.listen=127.0.0.1:0",
            "cardsim.adminListen=127.0.0.1:0",
            "admission.rate.default=100000",
            "admission.burst.default=100000",
            ""));
        return config;
    }

    /** The first {@code count} valid municipality codes of prefecture 13 after 13100. */
    private static List<String> municipalityCodes(final int count)
    {
        final List<String> codes = new ArrayList<>();
        for (int five = 13101; codes.size() < count; five++)
        {
            for (int check = 0; check <= 9; check++)
            {
                final String code = five + Integer.toString(check);
                if (MunicipalityCodes.isValid(code) && !code.equals(BYSTANDER))
                {
                    codes.add(code);
                    break;
                }
            }
        }
        return codes;
    }

    private static String scrape(final int adminPort) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long median(final List<Long> values)
    {
        final List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double gauge(final String metrics, final String name)
    {
        final Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*} (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s in the node's metrics", name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static double counter(final String metrics, final String name, final String label)
    {
        final Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label) +
            "[^}]*} (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s{%s} in the node's metrics", name, label).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
