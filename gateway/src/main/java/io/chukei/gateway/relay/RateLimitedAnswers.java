package io.chukei.gateway.relay;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.netty.buffer.ByteBuf;

/**
 * Recognises, in a frame about to be written to a connector, a {@code Rejected RATE_LIMITED}
 * and its {@code retryAfterMs}: three little-endian reads at fixed offsets, no decoding, no
 * allocation. The session uses it to stop reading from a connector that was just told to wait.
 *
 * <pre>
 *   0      6              8             14     6+8+18   6+8+29
 *   | SOFH | blockLength  | templateId  | ...  | code   | retryAfterMs (uint32, null 0xFFFFFFFF)
 * </pre>
 */
final class RateLimitedAnswers
{
    private static final int TEMPLATE_ID_AT = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int BLOCK_AT = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int CODE_AT = BLOCK_AT + RejectedDecoder.codeEncodingOffset();
    private static final int RETRY_AFTER_AT = BLOCK_AT + RejectedDecoder.retryAfterMsEncodingOffset();

    private RateLimitedAnswers()
    {
    }

    /** The retry-after of a {@code Rejected RATE_LIMITED} frame; -1 for any other frame, or one without a retry-after. */
    static long retryAfterMs(final ByteBuf frame)
    {
        final int start = frame.readerIndex();
        if (frame.readableBytes() < RETRY_AFTER_AT + Integer.BYTES ||
            frame.getUnsignedShortLE(start + TEMPLATE_ID_AT) != RejectedDecoder.TEMPLATE_ID ||
            frame.getUnsignedShortLE(start + CODE_AT) != ErrorCode.RATE_LIMITED.value())
        {
            return -1;
        }
        final long retryAfter = frame.getUnsignedIntLE(start + RETRY_AFTER_AT);
        return retryAfter == RejectedDecoder.retryAfterMsNullValue() ? -1 : retryAfter;
    }
}
