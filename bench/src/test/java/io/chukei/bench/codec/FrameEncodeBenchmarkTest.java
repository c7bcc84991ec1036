package io.chukei.bench.codec;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.validation.SubmitValidator;
import io.chukei.protocol.validation.ValidationConfig;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The encode benchmark writes frames that decode, and its baselines write as many bytes. */
class FrameEncodeBenchmarkTest
{
    private final FrameEncodeBenchmark benchmark = new FrameEncodeBenchmark();
    private final EmbeddedChannel channel =
        new EmbeddedChannel(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH));
    private final MessageReader reader = new MessageReader();

    @BeforeEach
    void setUp()
    {
        benchmark.allocator = Allocators.POOLED;
        benchmark.setup();
    }

    @AfterEach
    void tearDown()
    {
        benchmark.tearDown();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theEncodedSubmitDecodesAndValidatesWithNoError()
    {
        final int frameLength = benchmark.encodeSubmit();

        assertThat(benchmark.target().readableBytes()).isEqualTo(frameLength);
        final ByteBuf message = decodeOneFrame();
        try
        {
            assertThat(reader.wrap(message)).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(reader.templateId()).isEqualTo(SubmitDecoder.TEMPLATE_ID);
            final ValidationResult result = new ValidationResult();
            final ErrorCode code = new SubmitValidator(ValidationConfig.defaults())
                .validate(reader.submit(), reader.length(), result);
            assertThat(code).as(result.toString()).isEqualTo(ErrorCode.NO_ERROR);
        }
        finally
        {
            message.release();
        }
    }

    @Test
    void theRepliesAreAnAcceptedThenAResultThatDecodeWithNoError()
    {
        benchmark.encodeAcceptedAndResult();

        final ByteBuf first = decodeOneFrame();
        final ByteBuf second = channel.readInbound();
        try
        {
            assertThat(reader.wrap(first)).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(reader.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
            assertThat(reader.accepted().requestId().lo()).isEqualTo(SubmitFixtures.REQUEST_ID_LO);
            assertThat(reader.wrap(second)).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(reader.templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
            assertThat(reader.result().status()).isEqualTo(OutcomeStatus.OK);
            assertThat(reader.result().detail()).isEqualTo("applied");
        }
        finally
        {
            first.release();
            second.release();
        }
    }

    @Test
    void theBaselinesWriteAsManyBytesAsTheEncoders()
    {
        assertThat(benchmark.baselineWriteSubmitBytes()).isEqualTo(benchmark.encodeSubmit());
        assertThat(benchmark.baselineWriteReplyBytes()).isEqualTo(benchmark.encodeAcceptedAndResult());
    }

    @Test
    void theSubmitIsAboutThreeHundredBytes()
    {
        assertThat(benchmark.submitBytesLength()).isBetween(250, 350);
    }

    /** Feeds a copy of the benchmark's frames to the real decoder and returns the first frame. */
    private ByteBuf decodeOneFrame()
    {
        assertThat(channel.writeInbound(benchmark.target().copy())).isTrue();
        return channel.readInbound();
    }
}
