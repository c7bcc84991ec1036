package io.chukei.gateway.node;

import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connector that sends as fast as it can at the default rate limit is refused cheaply: its refusals are
 * counted and summarised (one journal entry per municipality per interval), so the journal grows by what was
 * accepted, not by what was refused; StatusQuery has a rate of its own.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RefusalFloodSystemTest
{
    private static final String FLOODER = "131016";
    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long ONE_MB = 1L << 20;

    @TempDir
    Path dataDir;

    @Test
    void aConnectorFloodingAtTheDefaultRateGrowsTheJournalByLessThanOneMegabyteAMinute() throws Exception
    {
        // The default rate (20/s, burst 40), not the tests' generous one.
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "admission.rate.default", "20",
            "admission.burst.default", "40", "journal.refusals.summaryIntervalSeconds", "1"), Clock.systemUTC()).start();
             RawConnector raw = openSession(node, FLOODER))
        {
            final long before = node.journal().stats().entryBytes();
            final long start = System.nanoTime();
            int sent = 0;
            while (System.nanoTime() - start < FLOOD_NANOS && sent < 400_000)
            {
                raw.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, FLOODER));
                sent++;
            }
            final double minutes = (System.nanoTime() - start) / 60e9;
            final int submits = sent;
            // Every Submit read and answered, one way or the other, before the journal is measured.
            await().atMost(Duration.ofSeconds(30)).until(() -> refused(node, ErrorCode.RATE_LIMITED) +
                node.metrics().registry().get("chukei.requests.accepted").counter().count() >= submits);
            final double rateLimited = refused(node, ErrorCode.RATE_LIMITED);
            await().atMost(Duration.ofSeconds(10)).until(() -> summaryOf(node) != null);
            final long grownBytes = node.journal().stats().entryBytes() - before;

            System.out.printf("flood: %d Submits in %.1f s, %.0f RATE_LIMITED, journal +%d bytes (%.0f bytes/min)%n",
                sent, minutes * 60, rateLimited, grownBytes, grownBytes / minutes);
            // The flood was real: most of what was sent was refused (one journal entry each would be ~10 MB/min).
            assertThat(rateLimited).as("RATE_LIMITED refusals of %d Submits", sent).isGreaterThan(sent * 0.8);
            assertThat(grownBytes / minutes).as("journal bytes per minute (%d bytes in %.2f min)", grownBytes, minutes)
                .isLessThan(ONE_MB);
            assertThat(summaryOf(node).summary()).contains("municipality=131016").contains("RATE_LIMITED=");
        }
    }

    @Test
    void statusQueriesOverTheirRateAreRefusedRateLimitedWithARetryAfter() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "connector.statusQuery.rate", "10",
            "connector.statusQuery.burst", "20"), Clock.systemUTC()).start();
             RawConnector raw = openSession(node, FLOODER))
        {
            final int queries = 200;
            for (int i = 0; i < queries; i++)
            {
                final UUID id = UUID.randomUUID();
                raw.send(new StatusQueryEncoder(), q ->
                {
                    q.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
                    q.municipalityCode(FLOODER);
                });
            }
            int limited = 0;
            long retryAfterMs = 0;
            for (int i = 0; i < queries; i++)
            {
                final MessageReader reply = raw.next();
                if (reply.templateId() == RejectedDecoder.TEMPLATE_ID && reply.rejected().code() == ErrorCode.RATE_LIMITED)
                {
                    limited++;
                    retryAfterMs = Math.max(retryAfterMs, reply.rejected().retryAfterMs());
                }
            }

            // Burst 20 plus at most a few refills while 200 queries are read: the rest are refused.
            assertThat(limited).isGreaterThan(150);
            assertThat(retryAfterMs).isBetween(1L, 1_000L);
        }
    }

    private static double refused(final RelayNode node, final ErrorCode code)
    {
        final Counter counter = node.metrics().registry().find("chukei.requests.rejected")
            .tag("reason", code.name().toLowerCase(java.util.Locale.ROOT)).counter();
        return counter == null ? 0 : counter.count();
    }

    private static JournalEvent summaryOf(final RelayNode node)
    {
        return node.journal().trace(0, 0).stream()
            .filter(event -> event.type() == JournalEventType.AUDIT && event.summary().contains("action=refusals"))
            .findFirst().orElse(null);
    }

    private RawConnector openSession(final RelayNode node, final String municipality) throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        final RawConnector raw = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector(municipality), PeerPolicy.relayClient()));
        assertThat(raw.handshake()).isTrue();
        raw.hello(municipality);
        assertThat(raw.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return raw;
    }
}
