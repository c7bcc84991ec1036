package io.chukei.gateway.relay;

import io.chukei.gateway.latency.Stage;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Each accepted request is timed once per stage; a pooled request's next use starts without the old timestamps. */
class StageRecordingTest
{
    private static final byte[] PAYLOAD = "ACTIVE".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path journalDirectory;

    @Test
    @Timeout(30)
    void anAnsweredRequestIsTimedOnceInEveryStageTheRelayCoreSees()
    {
        try (SessionHarness session = new SessionHarness(journalDirectory, 16))
        {
            session.open();
            final InFlightRequest request = accept(session, 1);
            session.answer(request, OutcomeStatus.OK, "applied", PAYLOAD);
            session.nextReply().result();

            assertThat(counts(session)).containsExactlyInAnyOrderEntriesOf(Map.of(
                Stage.VALIDATE, 1L, Stage.JOURNAL_APPEND, 1L, Stage.JOURNAL_DURABLE, 1L, Stage.ACCEPTED, 1L,
                // Forwarding is the harness's: queued and upstream are timed by the upstream pool.
                Stage.QUEUED, 0L, Stage.UPSTREAM, 0L, Stage.ANSWER, 1L, Stage.END_TO_END, 1L));
        }
    }

    @Test
    @Timeout(30)
    void aResendAndARejectedSubmitAddNoTimes()
    {
        try (SessionHarness session = new SessionHarness(journalDirectory, 16))
        {
            session.open();
            accept(session, 1);
            session.send(session.cardStatus(1));
            session.nextReply().accepted();
            session.send(session.certChange(2, "12345678901X", ""));
            session.nextReply().rejected();

            assertThat(counts(session)).containsEntry(Stage.VALIDATE, 1L).containsEntry(Stage.ACCEPTED, 1L)
                .containsEntry(Stage.END_TO_END, 0L);
        }
    }

    @Test
    @Timeout(30)
    void aDeadlineAnswerCountsEndToEndButNoAnswerStage()
    {
        try (SessionHarness session = new SessionHarness(journalDirectory, 16))
        {
            session.open();
            session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofMillis(100), false));
            session.nextReply().accepted();
            session.passTime(Duration.ofMillis(100));
            session.nextReply().rejected();

            assertThat(counts(session)).containsEntry(Stage.END_TO_END, 1L).containsEntry(Stage.ANSWER, 0L);
        }
    }

    @Test
    void theWaitForUpstreamCapacityIsTakenOnce()
    {
        final InFlightRequest request = InFlightRequest.of(1, 2, 3, Unpooled.buffer(8), 0, 0, 0, null, false);
        request.acceptedSentNanos(42);

        assertThat(request.takeAcceptedSentNanos()).isEqualTo(42);
        assertThat(request.takeAcceptedSentNanos()).as("a retry's forward").isEqualTo(InFlightRequest.NOT_TIMED);
        request.drop();
    }

    @Test
    @Timeout(30)
    void aPooledRequestReusedStartsWithoutTheStageTimesOfItsLastUse() throws Throwable
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread eventLoopLike = new FastThreadLocalThread(() ->
        {
            try
            {
                final InFlightRequest first = InFlightRequest.of(1, 2, 3, Unpooled.buffer(8), 0, 0, 100, null, false);
                first.appendedNanos(200);
                first.acceptedSentNanos(300);
                first.drop();

                final InFlightRequest second = InFlightRequest.of(1, 2, 4, Unpooled.buffer(8), 0, 0, 400, null, true);
                assertThat(second).as("the pooled object of the first").isSameAs(first);
                assertThat(second.receivedNanos()).isEqualTo(400);
                assertThat(second.appendedNanos()).isEqualTo(InFlightRequest.NOT_TIMED);
                assertThat(second.takeAcceptedSentNanos()).isEqualTo(InFlightRequest.NOT_TIMED);
                second.drop();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        eventLoopLike.start();
        eventLoopLike.join();
        if (failure.get() != null)
        {
            throw failure.get();
        }
    }

    private static InFlightRequest accept(final SessionHarness session, final long idLo)
    {
        session.send(session.cardStatus(idLo));
        assertThat(session.nextReply().accepted().requestId().lo()).isEqualTo(idLo);
        return session.forwarded().get(session.forwarded().size() - 1);
    }

    private static Map<Stage, Long> counts(final SessionHarness session)
    {
        final Map<Stage, Long> counts = new EnumMap<>(Stage.class);
        session.metrics().stages().totals(new long[0]).forEach(totals -> counts.put(totals.stage(), totals.count()));
        return counts;
    }
}
