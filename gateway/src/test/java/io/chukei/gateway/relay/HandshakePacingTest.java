package io.chukei.gateway.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pacing on one event loop (the test's thread stands for it: every embedded channel here shares its budget), with a
 * hand-moved clock: each connection's "TLS" is a handler that takes every read as a handshake step costing
 * {@link #STEP_MS}, and the drains the pacing plans are run by the test when their time comes. Half of each 20 ms
 * window: 10 ms of steps.
 */
class HandshakePacingTest
{
    private static final long STEP_MS = 4;

    private long nowNanos = 1_000_000_000L;
    private final List<PlannedDrain> drains = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakePacing pacing = new HandshakePacing(0.5, () -> nowNanos,
        (loop, task, delayNanos) -> drains.add(new PlannedDrain(nowNanos + delayNanos, task))).bindTo(registry);
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        connections.forEach(connection -> connection.channel.finishAndReleaseAll());
    }

    @Test
    void stepsWithinTheWindowsBudgetRunAtOnceAndTheRestWaitUnread()
    {
        final Connection first = connect();
        final Connection second = connect();
        final Connection third = connect();
        final Connection fourth = connect();

        first.clientSends();
        second.clientSends();
        third.clientSends();
        fourth.clientSends();

        assertThat(first.steps).isEqualTo(1);
        assertThat(second.steps).isEqualTo(1);
        assertThat(third.steps).as("8 ms spent is under 10: one more step may start").isEqualTo(1);
        assertThat(fourth.steps).as("12 ms spent: the budget of this window is gone").isZero();
        assertThat(fourth.channel.config().isAutoRead()).as("its socket is not read meanwhile").isFalse();
        assertThat(pacing.waiting()).isEqualTo(1);
        assertThat(registry.get("chukei.connections.handshakes.waiting").gauge().value()).isEqualTo(1);
        assertThat(registry.get("chukei.connections.handshakes.paced").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aLaterWindowGivesTheHeldBytesToTlsInArrivalOrderAndReadingResumes()
    {
        final List<Connection> all = new ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            all.add(connect());
            all.get(i).clientSends();
        }
        assertThat(all).extracting(c -> c.steps).containsExactly(1, 1, 1, 0, 0, 0, 0);

        runDrainsUntil(20);
        assertThat(all).as("the 2 ms overrun is a debt: 8 ms this window, so two steps").extracting(c -> c.steps)
            .containsExactly(1, 1, 1, 1, 1, 0, 0);
        assertThat(all.get(3).received).containsExactly("hello-3");
        assertThat(all.get(3).channel.config().isAutoRead()).isTrue();

        runDrainsUntil(40);
        runDrainsUntil(60);
        assertThat(all).extracting(c -> c.steps).containsExactly(1, 1, 1, 1, 1, 1, 1);
        assertThat(pacing.waiting()).isZero();
        assertThat(drains).as("nothing left to drain, nothing planned").isEmpty();
    }

    @Test
    void aConnectionThatWaitsGetsItsLaterReadsInOrderAfterTheHeldOnes()
    {
        fillTheWindow();
        final Connection late = connect();
        late.clientSends("client-hello");
        late.clientSends("more");

        runDrainsUntil(20);

        assertThat(late.received).containsExactly("client-hello", "more");
    }

    @Test
    void aConnectionThatClosesWhileWaitingIsSkippedAndItsBytesReleased()
    {
        fillTheWindow();
        final Connection gone = connect();
        final ByteBuf held = gone.clientSends("client-hello");
        final Connection next = connect();
        next.clientSends();

        gone.channel.close();
        assertThat(held.refCnt()).as("held bytes released at close").isZero();
        assertThat(pacing.waiting()).isEqualTo(1);
        runDrainsUntil(20);

        assertThat(gone.steps).isZero();
        assertThat(next.steps).isEqualTo(1);
        assertThat(pacing.waiting()).isZero();
    }

    @Test
    void theEndedHandshakeTakesThePacerOutOfThePipelineSoSessionsNeverPassIt()
    {
        final Connection first = connect();
        first.clientSends();

        first.handshake.setSuccess(first.channel);

        assertThat(first.channel.pipeline().get(HandshakePacer.NAME)).isNull();
    }

    @Test
    void aHandshakeThatEndsWithinAResumedReadStillDeliversWhatCameWithIt()
    {
        fillTheWindow();
        final Connection late = connect();
        late.endHandshakeOnFirstStep = true;
        late.clientSends("finished");
        late.clientSends("hello");

        runDrainsUntil(20);

        assertThat(late.received).containsExactly("finished", "hello");
        assertThat(late.channel.pipeline().get(HandshakePacer.NAME)).isNull();
    }

    @Test
    void aFailedHandshakeTakesThePacerOutToo()
    {
        final Connection first = connect();

        first.handshake.setFailure(new IOException("handshake timed out"));

        assertThat(first.channel.pipeline().get(HandshakePacer.NAME)).isNull();
    }

    @Test
    void theShareIsAFractionOfTheWindow()
    {
        assertThatThrownBy(() -> new HandshakePacing(0)).hasMessage("loopShare: 0.0 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> new HandshakePacing(1.5)).hasMessage("loopShare: 1.5 (expected: > 0 and <= 1)");
    }

    @Test
    void aShareOfOneIsNoPacingAtAll()
    {
        assertThat(new HandshakePacing(1.0).paces()).isFalse();
        assertThat(pacing.paces()).isTrue();
    }

    private void fillTheWindow()
    {
        for (int i = 0; i < 3; i++)
        {
            connect().clientSends();
        }
    }

    private void runDrainsUntil(final long msAfterStart)
    {
        final long until = 1_000_000_000L + TimeUnit.MILLISECONDS.toNanos(msAfterStart);
        while (true)
        {
            final PlannedDrain due = drains.stream().filter(d -> d.atNanos <= until).findFirst().orElse(null);
            if (due == null)
            {
                break;
            }
            drains.remove(due);
            nowNanos = Math.max(nowNanos, due.atNanos);
            due.task.run();
        }
        nowNanos = Math.max(nowNanos, until);
    }

    /** A registered, active connection: the pacer, then a stand-in for TLS whose every read is one handshake step. */
    private Connection connect()
    {
        final Promise<Channel> handshake = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
        final Connection connection = new Connection(handshake, connections.size());
        connection.channel = new EmbeddedChannel(pacing.newPacer().until(handshake), connection.new HandshakeSteps());
        connections.add(connection);
        return connection;
    }

    private record PlannedDrain(long atNanos, Runnable task)
    {
    }

    private final class Connection
    {
        private final Promise<Channel> handshake;
        private final int number;
        private final List<String> received = new ArrayList<>();
        private EmbeddedChannel channel;
        private int steps;
        private boolean endHandshakeOnFirstStep;

        Connection(final Promise<Channel> handshake, final int number)
        {
            this.handshake = handshake;
            this.number = number;
        }

        void clientSends()
        {
            clientSends("hello-" + number);
        }

        ByteBuf clientSends(final String text)
        {
            final ByteBuf bytes = Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.US_ASCII);
            channel.pipeline().fireChannelRead(bytes);
            channel.pipeline().fireChannelReadComplete();
            return bytes;
        }

        /** Every read costs {@link #STEP_MS} of the clock. */
        final class HandshakeSteps extends ChannelInboundHandlerAdapter
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                final ByteBuf bytes = (ByteBuf)msg;
                received.add(bytes.toString(java.nio.charset.StandardCharsets.US_ASCII));
                bytes.release();
                steps++;
                nowNanos += TimeUnit.MILLISECONDS.toNanos(STEP_MS);
                if (endHandshakeOnFirstStep && steps == 1)
                {
                    handshake.setSuccess(ctx.channel());
                }
            }
        }
    }
}
