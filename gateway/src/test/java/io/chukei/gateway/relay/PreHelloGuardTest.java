package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard alone, before a handler that records what reaches the session's place; time frozen. */
class PreHelloGuardTest
{
    private static final long HELLO_TIMEOUT_MS = 2000;
    private static final long GRACE_MS = 1000;
    private static final String SOURCE = "source-a";

    private final PreHelloLimiter limiter = new PreHelloLimiter(10, 5);
    private final PreHelloMetrics metrics = new PreHelloMetrics(new SimpleMeterRegistry(), limiter);
    private final List<Object> eventsAfterGuard = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void releaseEverything()
    {
        if (channel != null)
        {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void noHelloInTimeAfterTheHandshakeTellsTheSessionAndThenCloses()
    {
        open();
        handshakeSucceeded();

        passMillis(HELLO_TIMEOUT_MS);

        assertThat(eventsAfterGuard).containsExactly(SslHandshakeCompletionEvent.SUCCESS,
            new PreHelloGuard.HelloDeadlinePassed(HELLO_TIMEOUT_MS));
        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.HELLO)).isEqualTo(1);
        assertThat(channel.isOpen()).as("open during the GoAway's grace").isTrue();
        passMillis(GRACE_MS);
        assertThat(channel.isOpen()).isFalse();
        assertThat(limiter.total()).isZero();
    }

    @Test
    void bytesFromThePeerDoNotPutTheHelloDeadlineOff()
    {
        open();
        handshakeSucceeded();

        for (int i = 0; i < 4; i++)
        {
            passMillis(HELLO_TIMEOUT_MS / 4 - 1);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        }
        passMillis(4);

        assertThat(eventsAfterGuard).contains(new PreHelloGuard.HelloDeadlinePassed(HELLO_TIMEOUT_MS));
    }

    @Test
    void theHelloDeadlineStartsAtTheHandshakeNotAtAccept()
    {
        open();
        passMillis(HELLO_TIMEOUT_MS);
        handshakeSucceeded();

        passMillis(HELLO_TIMEOUT_MS - 1);

        assertThat(eventsAfterGuard).containsExactly(SslHandshakeCompletionEvent.SUCCESS);
    }

    @Test
    void removingTheGuardAtHelloReleasesThePlaceAndEndsTheDeadline()
    {
        open();
        handshakeSucceeded();

        channel.pipeline().remove(PreHelloGuard.NAME);
        passMillis(HELLO_TIMEOUT_MS + GRACE_MS);

        assertThat(limiter.total()).isZero();
        assertThat(eventsAfterGuard).containsExactly(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(channel.isOpen()).isTrue();
        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.HELLO)).isZero();
    }

    @Test
    void aConnectionClosedBeforeTlsReleasesItsPlaceOnce()
    {
        open();

        channel.close();

        // channelInactive and handlerRemoved both give the place up: it must be released once only.
        channel.checkException();
        assertThat(limiter.total()).isZero();
        assertThat(limiter.fromSource(SOURCE)).isZero();
    }

    @Test
    void aHandshakeThatRanOutOfTimeIsCountedAsSuch()
    {
        open();

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SslHandshakeTimeoutException("timed out")));

        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.TLS)).isEqualTo(1);
        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.HELLO)).isZero();
    }

    @Test
    void aFailedHandshakeStartsNoHelloDeadline()
    {
        open();

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new javax.net.ssl.SSLHandshakeException("bad certificate")));
        passMillis(HELLO_TIMEOUT_MS);

        assertThat(metrics.timeoutCount(PreHelloMetrics.Deadline.TLS)).isZero();
        assertThat(eventsAfterGuard).hasSize(1);
    }

    private void open()
    {
        assertThat(limiter.tryAdmit(SOURCE)).isEqualTo(PreHelloLimiter.Admission.ADMITTED);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(PreHelloGuard.NAME,
            new PreHelloGuard(new PreHelloPlace(limiter, SOURCE), metrics, HELLO_TIMEOUT_MS, GRACE_MS));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter()
        {
            @Override
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
            {
                eventsAfterGuard.add(event);
            }

            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        });
    }

    private void handshakeSucceeded()
    {
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    }

    private void passMillis(final long millis)
    {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }
}
