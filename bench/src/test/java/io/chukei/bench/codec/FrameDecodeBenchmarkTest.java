package io.chukei.bench.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The decode benchmark measures a frame that really decodes, with every allocator it offers. */
class FrameDecodeBenchmarkTest
{
    private final FrameDecodeBenchmark benchmark = new FrameDecodeBenchmark();

    @AfterEach
    void tearDown()
    {
        benchmark.tearDown();
    }

    @ParameterizedTest
    @ValueSource(strings = {Allocators.POOLED, Allocators.ADAPTIVE})
    void theFrameGoesThroughTheRealDecoderAndReaderWithNoError(final String allocator) throws Exception
    {
        setUp(allocator);

        final long checksum = benchmark.decodeFrame();

        assertThat(benchmark.consumer().frames()).isEqualTo(1);
        assertThat(benchmark.consumer().lastCode()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(checksum).isEqualTo(benchmark.readSubmit());
    }

    @ParameterizedTest
    @ValueSource(strings = {Allocators.POOLED, Allocators.ADAPTIVE})
    void decodingAgainAndAgainNeitherLeaksNorFreesTheFixture(final String allocator) throws Exception
    {
        setUp(allocator);

        for (int i = 0; i < 1_000; i++)
        {
            benchmark.decodeFrame();
        }

        assertThat(benchmark.consumer().frames()).isEqualTo(1_000);
        assertThat(benchmark.consumer().lastCode()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(benchmark.wire().refCnt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {Allocators.POOLED, Allocators.ADAPTIVE})
    void theFrameIsAFullPreissueSetupOfAboutThreeHundredBytes(final String allocator)
    {
        setUp(allocator);

        assertThat(benchmark.readSubmit()).isNotEqualTo(-1);
        assertThat(benchmark.reader().templateId()).isEqualTo(SubmitDecoder.TEMPLATE_ID);
        assertThat(benchmark.reader().submit().operation()).isEqualTo(Operation.PREISSUE_SETUP);
        assertThat(benchmark.frameLength()).isBetween(250, 350);
    }

    @ParameterizedTest
    @ValueSource(strings = {Allocators.POOLED, Allocators.ADAPTIVE})
    void theBaselineCopiesTheWholeFrame(final String allocator)
    {
        setUp(allocator);

        benchmark.baselineCopyAndSum();

        final int length = benchmark.frameLength();
        assertThat(ByteBufUtil.getBytes(benchmark.copy(), 0, length))
            .isEqualTo(ByteBufUtil.getBytes(benchmark.wire(), 0, length));
    }

    private void setUp(final String allocator)
    {
        benchmark.allocator = allocator;
        benchmark.setup();
    }
}
