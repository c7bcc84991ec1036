package io.chukei.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored answers come back as the same bytes, for the same request only, and the oldest go first. */
class AnsweredRequestsTest
{
    private static final int SCOPE = 131016;

    private static final int SMALLEST = 1 << 16;

    @Test
    void aStoredAnswerIsReplayedAsTheSameBytes()
    {
        final AnsweredRequests answers = new AnsweredRequests(10, SMALLEST);
        store(answers, 1, 2, "result of 1:2", 77);

        assertThat(answers.match(SCOPE, 1, 2, 77)).isEqualTo(AnsweredRequests.SAME);
        assertThat(replayed(answers, 1, 2)).isEqualTo("result of 1:2");
    }

    @Test
    void anotherFingerprintUnderAStoredIdIsAConflict()
    {
        final AnsweredRequests answers = new AnsweredRequests(10, SMALLEST);
        store(answers, 1, 2, "result", 77);

        assertThat(answers.match(SCOPE, 1, 2, 78)).isEqualTo(AnsweredRequests.CONFLICT);
    }

    @Test
    void anIdNeverAnsweredIsUnknown()
    {
        final AnsweredRequests answers = new AnsweredRequests(10, SMALLEST);
        store(answers, 1, 2, "result", 77);

        assertThat(answers.match(SCOPE, 1, 3, 77)).isEqualTo(AnsweredRequests.UNKNOWN);
        assertThat(answers.copy(SCOPE, 2, 2, ByteBufAllocator.DEFAULT)).isNull();
    }

    @Test
    void pastTheCountBoundTheOldestAnswerIsForgotten()
    {
        final AnsweredRequests answers = new AnsweredRequests(3, SMALLEST);
        for (int lo = 1; lo <= 4; lo++)
        {
            store(answers, 9, lo, "result " + lo, lo);
        }

        assertThat(answers.size()).isEqualTo(3);
        assertThat(answers.match(SCOPE, 9, 1, 1)).isEqualTo(AnsweredRequests.UNKNOWN);
        assertThat(replayed(answers, 9, 2)).isEqualTo("result 2");
        assertThat(replayed(answers, 9, 4)).isEqualTo("result 4");
    }

    @Test
    void pastTheByteBoundTheRingWrapsAndKeepsTheLatestAnswersIntact()
    {
        final AnsweredRequests answers = new AnsweredRequests(1_000_000, SMALLEST);
        final String filler = "x".repeat(1_000);
        final int stored = 500;
        for (int lo = 0; lo < stored; lo++)
        {
            store(answers, 5, lo, lo + filler, lo);
        }

        // About 64 answers of ~1 KB fit in 64 KiB: the latest are kept, whole; the first are gone.
        assertThat(answers.size()).isBetween(50, 64);
        assertThat(answers.match(SCOPE, 5, 0, 0)).isEqualTo(AnsweredRequests.UNKNOWN);
        for (int lo = stored - answers.size(); lo < stored; lo++)
        {
            assertThat(replayed(answers, 5, lo)).isEqualTo(lo + filler);
        }
    }

    @Test
    void theRingGrowsBeforeItForgetsAndKeepsEveryAnswerReadable()
    {
        final AnsweredRequests answers = new AnsweredRequests(1_000, 1 << 20);
        final String filler = "y".repeat(300);
        for (int lo = 0; lo < 1_000; lo++)
        {
            store(answers, 6, lo, lo + filler, lo);
        }

        assertThat(answers.size()).isEqualTo(1_000);
        for (int lo = 0; lo < 1_000; lo++)
        {
            assertThat(answers.match(SCOPE, 6, lo, lo)).isEqualTo(AnsweredRequests.SAME);
            assertThat(replayed(answers, 6, lo)).isEqualTo(lo + filler);
        }
    }

    @Test
    void anAnswerBelongsToItsMunicipalityOnly()
    {
        final AnsweredRequests answers = new AnsweredRequests(10, SMALLEST);
        store(answers, 1, 2, "result for 131016", 77);

        assertThat(answers.match(11002, 1, 2, 77)).isEqualTo(AnsweredRequests.UNKNOWN);
        assertThat(answers.copy(11002, 1, 2, ByteBufAllocator.DEFAULT)).isNull();
        final ByteBuf other = Unpooled.copiedBuffer("result for 011002", StandardCharsets.UTF_8);
        answers.put(11002, 1, 2, other, 99);
        other.release();
        assertThat(answers.match(11002, 1, 2, 99)).isEqualTo(AnsweredRequests.SAME);
        assertThat(answers.match(SCOPE, 1, 2, 77)).isEqualTo(AnsweredRequests.SAME);
        assertThat(replayed(answers, 1, 2)).isEqualTo("result for 131016");
    }

    private static void store(final AnsweredRequests answers, final long hi, final long lo, final String text,
        final long fingerprint)
    {
        final ByteBuf frame = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try
        {
            answers.put(SCOPE, hi, lo, frame, fingerprint);
            assertThat(frame.readableBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
        finally
        {
            frame.release();
        }
    }

    private static String replayed(final AnsweredRequests answers, final long hi, final long lo)
    {
        final ByteBuf copy = answers.copy(SCOPE, hi, lo, ByteBufAllocator.DEFAULT);
        assertThat(copy).isNotNull();
        try
        {
            return new String(ByteBufUtil.getBytes(copy), StandardCharsets.UTF_8);
        }
        finally
        {
            copy.release();
        }
    }
}
