package io.chukei.bench.latency;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageLogConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What one request's per-stage recording costs: the eight values an answered request records (into the
 * recording thread's own HdrHistogram {@code SingleWriterRecorder}s; Prometheus reads them at scrape time), with
 * the {@code System.nanoTime()} reads they need. JMH's threads are not Netty threads, so each record here also
 * pays a {@code ThreadLocal} look-up that an event loop's {@code FastThreadLocal} spares.
 * <ul>
 *   <li>{@code baselineNanoTimes}: the same eight clock reads and subtractions, nothing recorded
 *       (what {@code metrics.stages=off} still does);</li>
 *   <li>{@code recordRequest}: the reads plus the eight records, one thread;</li>
 *   <li>{@code recordRequestTwoThreads}: the same from two threads at once, as two event loops record (each into
 *       its own recorders: no contention expected).</li>
 * </ul>
 * {@code recordRequest - baselineNanoTimes} is the recording's CPU per request; compare it with the relay's
 * CPU per request from {@code bench/compare} (bench/README.md, "Per-stage latency: what recording costs").
 * Run: {@code ops/chukei jmh StageRecordingBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StageRecordingBenchmark
{
    private static final Stage[] STAGES = Stage.values();

    private final StageHistograms stages = new StageHistograms(StageLogConfig.defaults());
    private long previous = System.nanoTime();

    @Benchmark
    public long baselineNanoTimes()
    {
        long sum = 0;
        for (int i = 0; i < STAGES.length; i++)
        {
            final long now = System.nanoTime();
            sum += now - previous;
            previous = now;
        }
        return sum;
    }

    @Benchmark
    public long recordRequest()
    {
        return record();
    }

    @Benchmark
    @Threads(2)
    public long recordRequestTwoThreads()
    {
        return record();
    }

    private long record()
    {
        long sum = 0;
        long start = System.nanoTime();
        for (final Stage stage : STAGES)
        {
            final long now = System.nanoTime();
            // Values like a request's: microseconds to milliseconds, spread over the histogram.
            final long nanos = (now - start) + (now & 0xFFFFF);
            stages.record(stage, nanos);
            sum += nanos;
            start = now;
        }
        return sum;
    }
}
