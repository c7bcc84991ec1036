package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A session behind its {@link PreHelloGuard}, without sockets: Hello in time, Hello never, and Heartbeats instead of Hello. */
class PreHelloSessionTest
{
    private static final long HELLO_TIMEOUT_MS = 2000;
    private static final String SOURCE = "peer";

    @TempDir
    Path journalDirectory;

    private final PreHelloLimiter limiter = new PreHelloLimiter(10, 10);
    private final PreHelloMetrics metrics = new PreHelloMetrics(new SimpleMeterRegistry(), limiter);
    private SessionHarness session;

    @AfterEach
    void everyFrameIsReleased()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @Test
    void aSessionThatSendsOnlyHeartbeatsIsSentAwayAtTheHelloDeadline()
    {
        guardedSession();
        session.handshake();

        for (int i = 0; i < 5; i++)
        {
            session.passTime(Duration.ofMillis(HELLO_TIMEOUT_MS / 5 - 1));
            session.send(heartbeat());
        }
        session.passTime(Duration.ofMillis(5));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
        final GoAwayDecoder goAway = reply.goAway();
        assertThat(goAway.code()).isEqualTo(ErrorCode.HELLO_REQUIRED);
        for (final GoAwayDecoder.NodesDecoder node : goAway.nodes())
        {
            node.address();
        }
        assertThat(goAway.detail()).contains("no Hello within 2000 ms", "connector.helloTimeoutMs");
        assertThat(session.channelOpen()).isFalse();
        assertThat(limiter.total()).isZero();
    }

    @Test
    void helloInTimeOpensTheSessionAndLeavesThePreHelloBounds()
    {
        guardedSession();

        assertThat(session.open().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        session.passTime(Duration.ofMillis(HELLO_TIMEOUT_MS * 2));

        assertThat(limiter.total()).isZero();
        assertThat(session.channelOpen()).isTrue();
        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.HELLO)).isZero();
    }

    @Test
    void aSessionWithoutHelloHoldsNoneOfItsMunicipalitysConnectionPlaces()
    {
        guardedSession();
        session.handshake();

        assertThat(session.connectionLimiter().connections(SessionHarness.MUNICIPALITY)).isZero();
    }

    private void guardedSession()
    {
        assertThat(limiter.tryAdmit(SOURCE)).isEqualTo(PreHelloLimiter.Admission.ADMITTED);
        session = new SessionHarness(journalDirectory, 16,
            new PreHelloGuard(new PreHelloPlace(limiter, SOURCE), metrics, HELLO_TIMEOUT_MS, RelayServer.GO_AWAY_GRACE_MS));
    }

    private static ByteBuf heartbeat()
    {
        final ByteBuf frame = Unpooled.buffer();
        final FrameWriter writer = new FrameWriter();
        final HeartbeatEncoder heartbeat = writer.begin(frame, new HeartbeatEncoder(), HeartbeatEncoder.BLOCK_LENGTH);
        heartbeat.timestampEpochMs(0).nodeState(NodeState.ACTIVE);
        writer.finish(heartbeat);
        return frame;
    }
}
