package io.chukei.protocol.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay over its pre-Hello bounds resets new connections before TLS (gateway/README.md,
 * "Connector listener"). Many connectors refused together must come back spread out and
 * slowing down — exponential back-off with full jitter — not in a tight loop that keeps the
 * node's accept queue full.
 */
@Tag("system")
@Timeout(30)
class ReconnectAfterRefusalTest
{
    @Test
    void aConnectorResetBeforeTlsRetriesWithAGrowingJitteredBackOff() throws Exception
    {
        final BlockingQueue<Long> accepted = new LinkedBlockingQueue<>();
        final List<Long> attemptsNs = new ArrayList<>();
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final Thread acceptor = new Thread(() -> resetEveryConnection(refusing, accepted), "refusing-relay");
            acceptor.setDaemon(true);
            acceptor.start();
            final SslContext tls = SslContextBuilder.forClient()
                .trustManager(ReconnectAfterRefusalTest.class.getClassLoader().getResourceAsStream("tls/relay-cert.pem")).build();
            try (ConnectorClient client = ConnectorClient.builder()
                .nodes(List.of(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), refusing.getLocalPort())))
                .sslContext(tls)
                .municipalityCode("131016")
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .random(new SplittableRandom(11))
                .build())
            {
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime())
                {
                    final Long attempt = accepted.poll(left, TimeUnit.NANOSECONDS);
                    if (attempt != null)
                    {
                        attemptsNs.add(attempt);
                    }
                }
                assertThat(client.stats().sessionOpen()).isFalse();
            }
        }

        // Bounds 100, 200, 400, 800, 1600, 3200 ms: about six attempts in 3 s; a loop without back-off makes thousands.
        assertThat(attemptsNs).as("connection attempts in 3 s").hasSizeBetween(3, 15);
        final List<Long> gapsMs = new ArrayList<>();
        for (int i = 1; i < attemptsNs.size(); i++)
        {
            gapsMs.add(TimeUnit.NANOSECONDS.toMillis(attemptsNs.get(i) - attemptsNs.get(i - 1)));
        }
        assertThat(gapsMs.stream().distinct().count()).as("gaps between attempts, ms: %s (jittered, not fixed)", gapsMs)
            .isGreaterThanOrEqualTo(2);
    }

    private static void resetEveryConnection(final ServerSocket server, final BlockingQueue<Long> attemptsNs)
    {
        while (!server.isClosed())
        {
            try (Socket socket = server.accept())
            {
                attemptsNs.add(System.nanoTime());
                socket.setSoLinger(true, 0);
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }
}
