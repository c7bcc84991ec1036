package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle upstream link sends its heartbeats (card management answers each, which is what keeps the link from
 * being closed for missed heartbeats), and never more often than its interval.
 */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamHeartbeatSystemTest
{
    private static final int INTERVAL_MS = 200;
    // Reader idle after 1 s: long enough that a busy host does not close the idle link on its own.
    private static final int MISSED = 5;

    @TempDir
    Path dataDir;

    @Test
    void anIdleLinkSendsAHeartbeatEveryIntervalAndNoMore() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        try (CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder()
            .tls(pki.issueUpstream("cardsim"))
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", "127.0.0.1:" + cardManagement.ports().get(0),
                 "upstream.heartbeatIntervalMs", String.valueOf(INTERVAL_MS),
                 "upstream.missedHeartbeats", String.valueOf(MISSED)),
                 Clock.systemUTC()).start())
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> cardManagement.connections(0) == 1);
            final long firstNanos = System.nanoTime();
            final long firstCount = heartbeats(cardManagement);

            // Nothing is forwarded: only the link's own timer writes. Ten of them prove it runs while idle.
            await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats(cardManagement) >= firstCount + 10);

            final long count = heartbeats(cardManagement) - firstCount;
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstNanos);
            // One at most per interval, however late the timer runs (plus two: one on its way when counting began, one
            // received early after its predecessor was delayed on the way).
            assertThat(count).as("heartbeats in %d ms at one per %d ms", elapsedMs, INTERVAL_MS)
                .isLessThanOrEqualTo(elapsedMs / INTERVAL_MS + 2);
            // And not much fewer: a timer that stopped after one heartbeat still gets one out per connection, then
            // the link is closed for missed heartbeats and connects again (about one per 1.25 s here, not one per
            // 200 ms); at least one per three intervals tells the two apart with room for a slow host.
            assertThat(count).as("heartbeats in %d ms at one per %d ms", elapsedMs, INTERVAL_MS)
                .isGreaterThanOrEqualTo(elapsedMs / (3L * INTERVAL_MS));
            assertThat(cardManagement.connections(0)).as("the link is connected").isEqualTo(1);
        }
    }

    private static long heartbeats(final CardSimulator cardManagement)
    {
        return cardManagement.stats().snapshot().endpoints().get(0).heartbeats();
    }
}
