package io.chukei.gateway.relay;

import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.ResultDecoder;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finished request goes back to its pool and serves the next one; what was kept of it without a
 * hold (its deadline entry) or past its hold (a late Outcome) must not act on the next request.
 * Each test runs on a {@link FastThreadLocalThread}, as event loops do, where Netty's pool reuses objects.
 */
class RecycledRequestTest
{
    private static final byte[] PAYLOAD = "ACTIVE".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path journalDirectory;

    @Test
    @Timeout(30)
    void theDeadlineOfTheRequestBeforeDoesNotExpireTheRequestReusingItsObject() throws Throwable
    {
        onEventLoopThread(session ->
        {
            final InFlightRequest first = answeredAndLetGo(session, 1, Duration.ofMillis(100));
            final InFlightRequest second = accept(session, 2, Duration.ofSeconds(30));
            assertThat(second).as("the pooled object of the first request").isSameAs(first);

            session.passTime(Duration.ofMillis(100));

            assertThat(session.pendingReplies()).isZero();
            assertThat(second.isCompleted()).isFalse();
            assertThat(session.core().inFlightCount()).isEqualTo(1);
            session.passTime(Duration.ofSeconds(30));
            assertThat(session.nextReply().rejected().requestId().lo()).as("its own deadline still counts").isEqualTo(2);
        });
    }

    @Test
    @Timeout(30)
    void aLateOutcomeHandedOverWithAStaleReferenceDoesNotAnswerTheRequestReusingItsObject() throws Throwable
    {
        onEventLoopThread(session ->
        {
            final InFlightRequest first = answeredAndLetGo(session, 1, Duration.ofSeconds(30));
            final InFlightRequest second = accept(session, 2, Duration.ofSeconds(30));
            assertThat(second).isSameAs(first);

            session.answer(first, 1, OutcomeStatus.OK, "late, for the first request", PAYLOAD);

            assertThat(session.pendingReplies()).isZero();
            assertThat(second.isCompleted()).isFalse();
            session.answer(second, OutcomeStatus.OK, "applied", PAYLOAD);
            final ResultDecoder result = session.nextReply().result();
            assertThat(result.requestId().lo()).isEqualTo(2);
            assertThat(result.detail()).isEqualTo("applied");
        });
    }

    @Test
    @Timeout(30)
    void aRequestStillHeldUpstreamIsNotReusedAfterItsAnswer() throws Throwable
    {
        onEventLoopThread(session ->
        {
            final InFlightRequest first = accept(session, 1, Duration.ofSeconds(30));
            session.answer(first, OutcomeStatus.OK, "applied", PAYLOAD);
            session.nextReply().result();

            final InFlightRequest second = accept(session, 2, Duration.ofSeconds(30));

            assertThat(second).as("a new object while upstream still holds the first").isNotSameAs(first);
            assertThat(first.idLo()).isEqualTo(1);
        });
    }

    /** Request {@code idLo} accepted, answered, and let go upstream: its object is back in the pool. */
    private static InFlightRequest answeredAndLetGo(final SessionHarness session, final long idLo, final Duration deadline)
    {
        final InFlightRequest request = accept(session, idLo, deadline);
        session.answer(request, OutcomeStatus.OK, "applied", PAYLOAD);
        assertThat(session.nextReply().result().requestId().lo()).isEqualTo(idLo);
        session.letGo(request);
        return request;
    }

    private static InFlightRequest accept(final SessionHarness session, final long idLo, final Duration deadline)
    {
        session.send(session.cardStatus(idLo, SessionHarness.CARD_ID, deadline, false));
        final AcceptedDecoder accepted = session.nextReply().accepted();
        assertThat(accepted.requestId().lo()).isEqualTo(idLo);
        final InFlightRequest forwarded = session.forwarded().get(session.forwarded().size() - 1);
        assertThat(forwarded.idLo()).isEqualTo(idLo);
        return forwarded;
    }

    private void onEventLoopThread(final Script script) throws Throwable
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new FastThreadLocalThread(() ->
        {
            try
            {
                final SessionHarness session = new SessionHarness(journalDirectory, 16);
                try
                {
                    session.open();
                    script.run(session);
                }
                finally
                {
                    session.close();
                }
                assertThat(session.unreleasedFramesSent()).isEmpty();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null)
        {
            throw failure.get();
        }
    }

    @FunctionalInterface
    private interface Script
    {
        void run(SessionHarness session);
    }
}
