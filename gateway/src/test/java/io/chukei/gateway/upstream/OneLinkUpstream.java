package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.validation.ValidationConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A relay core over a real journal and an upstream pool with one link to card management on 127.0.0.1, connected:
 * what the upstream tests drive. Heartbeats every 250 ms, none expected back for 10 s; attempt timeout 30 s, so an
 * attempt that went is not tried again within a test; back-off 20 ms. Closing it stops the link's event loop.
 */
final class OneLinkUpstream implements AutoCloseable
{
    static final int NODE_ID = 1;
    static final int SCOPE = 131016;

    private final Clock clock = Clock.systemUTC();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final UpstreamPool pool;

    OneLinkUpstream(final Journal journal, final int cardManagementPort)
    {
        final RelayMetrics metrics = new RelayMetrics(NODE_ID);
        final RelayCore core = new RelayCore(NODE_ID, journal, Durability.PROCESS, metrics, clock,
            ValidationConfig.builder().clock(clock).build(), journal.recover().requests(),
            new MunicipalityRateLimiter(AdmissionConfig.defaults()));
        pool = new UpstreamPool(NODE_ID, List.of(new HostPort("127.0.0.1", cardManagementPort)), null,
            new UpstreamPool.Settings(30_000, 250, 40, 20, 1000, 5, 2000, 50, 3.0, 1), 4096, core, journal, metrics, clock,
            group, NioSocketChannel.class);
        pool.start();
        await("the link up").atMost(Duration.ofSeconds(20)).until(() -> pool.healthyCount() == 1);
    }

    /**
     * A valid CARD_STATUS request for id (hi, lo), due in a minute, handed to the pool as {@code Forwarding.forward}
     * hands one over (with the hold upstream takes; its creator keeps its own).
     */
    InFlightRequest forward(final long idHi, final long idLo)
    {
        final InFlightRequest request = InFlightRequest.of(SCOPE, idHi, idLo, submit(idHi, idLo), 0,
            clock.millis() + 60_000, System.nanoTime(), null, false);
        request.hold();
        pool.forward(request, false);
        return request;
    }

    /** The Submit's SBE header and body, as a request holds it. */
    private static ByteBuf submit(final long idHi, final long idLo)
    {
        final ByteBuf frame = Unpooled.buffer();
        final FrameWriter writer = new FrameWriter();
        final SubmitEncoder submit = writer.begin(frame, new SubmitEncoder(), 512);
        submit.requestId().hi(idHi).lo(idLo);
        submit.municipalityCode(String.valueOf(SCOPE)).operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(System.currentTimeMillis() + 60_000)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            .personalNumber("").residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        writer.finish(submit);
        return frame.skipBytes(SofhFrame.HEADER_LENGTH);
    }

    @Override
    public void close()
    {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
