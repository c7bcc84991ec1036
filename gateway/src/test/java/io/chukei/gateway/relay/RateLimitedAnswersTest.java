package io.chukei.gateway.relay;

import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedAnswersTest
{
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void aRateLimitedRejectedGivesItsRetryAfter()
    {
        assertThat(retryAfterOf(() -> rejected(ErrorCode.RATE_LIMITED, 37))).isEqualTo(37);
    }

    @Test
    void aRateLimitedRejectedWithoutRetryAfterGivesNone()
    {
        assertThat(retryAfterOf(() -> rejected(ErrorCode.RATE_LIMITED, -1))).isEqualTo(-1);
    }

    @Test
    void otherRefusalsAndOtherMessagesAreNotRateLimitedAnswers()
    {
        assertThat(retryAfterOf(() -> rejected(ErrorCode.OVERLOADED, 50))).isEqualTo(-1);
        assertThat(retryAfterOf(() -> Replies.current().accepted(ALLOC, 1, 2, 3, 99, Durability.PROCESS, false))).isEqualTo(-1);
    }

    @Test
    void theFrameIsReadWhereItsReaderIndexIsNotFromTheBuffersStart()
    {
        final ByteBuf frame = ALLOC.buffer();
        frame.writeZero(5).readerIndex(5);
        final ByteBuf rejected = rejected(ErrorCode.RATE_LIMITED, 12);
        frame.writeBytes(rejected);
        rejected.release();

        assertThat(RateLimitedAnswers.retryAfterMs(frame)).isEqualTo(12);
        frame.release();
    }

    private static ByteBuf rejected(final ErrorCode code, final long retryAfterMs)
    {
        return Replies.current().rejected(ALLOC, 1, 2, 3, code, FieldId.MUNICIPALITY_CODE, -1, -1, retryAfterMs, "over its rate");
    }

    private static long retryAfterOf(final Supplier<ByteBuf> frames)
    {
        final ByteBuf frame = frames.get();
        try
        {
            return RateLimitedAnswers.retryAfterMs(frame);
        }
        finally
        {
            frame.release();
        }
    }
}
