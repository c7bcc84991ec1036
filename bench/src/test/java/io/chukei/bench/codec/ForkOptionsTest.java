package io.chukei.bench.codec;

import io.chukei.bench.validation.SubmitValidationBenchmark;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Fork;

import static org.assertj.core.api.Assertions.assertThat;

class ForkOptionsTest
{
    @ParameterizedTest
    @ValueSource(classes = {FrameDecodeBenchmark.class, FrameEncodeBenchmark.class, SubmitValidationBenchmark.class})
    void everyBenchmarkForksWithEventLoopThreadsAndNoLeakSampling(final Class<?> benchmark)
    {
        final Fork fork = benchmark.getAnnotation(Fork.class);

        assertThat(fork.jvmArgsPrepend())
            .contains(ForkOptions.EXECUTOR, ForkOptions.EXECUTOR_CLASS, ForkOptions.NO_LEAK_DETECTION);
    }
}
