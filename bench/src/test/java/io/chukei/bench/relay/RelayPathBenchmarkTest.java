package io.chukei.bench.relay;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ResultDecoder;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay-path benchmark measures a request that really goes all the way to its Result. */
class RelayPathBenchmarkTest
{
    private static final int ACCEPTED_THEN_RESULT = AcceptedDecoder.TEMPLATE_ID * 100 + ResultDecoder.TEMPLATE_ID;

    private final RelayPathBenchmark benchmark = new RelayPathBenchmark();

    @BeforeEach
    void setUp()
    {
        benchmark.setup();
    }

    @AfterEach
    void tearDown()
    {
        benchmark.tearDown();
    }

    @Test
    void oneOperationWritesAnAcceptedThenAResult()
    {
        final int templates = benchmark.relayOneRequest();

        assertThat(templates).isEqualTo(ACCEPTED_THEN_RESULT);
        assertThat(benchmark.lastFrames()).isEqualTo(2);
        assertThat(benchmark.core().inFlightCount()).isZero();
    }

    @Test
    void everyOperationIsANewRequestThatFinishesAndLeavesTheFixtureAlive()
    {
        for (int i = 0; i < 1_000; i++)
        {
            assertThat(benchmark.relayOneRequest()).isEqualTo(ACCEPTED_THEN_RESULT);
        }

        assertThat(benchmark.core().inFlightCount()).isZero();
        assertThat(benchmark.wire().refCnt()).isEqualTo(1);
    }

    @Test
    void theCodecBaselineDecodesTheSubmitAndWritesAnAcceptedAndAResult()
    {
        assertThat(benchmark.baselineCodec()).isPositive();

        assertThat(templatesIn(benchmark.replies())).containsExactly(AcceptedDecoder.TEMPLATE_ID, ResultDecoder.TEMPLATE_ID);
    }

    @Test
    void theValidationBaselineFindsTheSubmitValid()
    {
        benchmark.baselineCodecAndValidation();

        assertThat(benchmark.validation().code()).isEqualTo(ErrorCode.NO_ERROR);
    }

    private static List<Integer> templatesIn(final ByteBuf frames)
    {
        final MessageReader reader = new MessageReader();
        final List<Integer> templates = new ArrayList<>();
        int at = 0;
        while (at < frames.writerIndex())
        {
            final int frameLength = (int)SofhFrame.frameLength(frames, at);
            assertThat(reader.wrap(frames.slice(at + SofhFrame.HEADER_LENGTH, frameLength - SofhFrame.HEADER_LENGTH)))
                .isEqualTo(ErrorCode.NO_ERROR);
            templates.add(reader.templateId());
            at += frameLength;
        }
        return templates;
    }
}
