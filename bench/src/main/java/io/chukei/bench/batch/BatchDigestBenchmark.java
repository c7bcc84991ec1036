package io.chukei.bench.batch;

import io.chukei.gateway.batch.BatchDigest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The member digest a node computes once per batch, on the event loop that accepts the batch's last member
 * ({@code BatchAccount}): SHA-256 over every member's 16-byte id in sequence order. How long that loop is held,
 * for a batch of {@code members} (the cap, {@code batch.maxSize}, is 50,000).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BatchDigestBenchmark
{
    @Param({"1000", "5000", "50000"})
    int members;

    private long[] hi;
    private long[] lo;

    @Setup
    public void ids()
    {
        final SplittableRandom random = new SplittableRandom(13);
        hi = new long[members];
        lo = new long[members];
        for (int i = 0; i < members; i++)
        {
            hi[i] = random.nextLong();
            lo[i] = random.nextLong();
        }
    }

    @Benchmark
    public byte[] digestOfEveryMember()
    {
        return BatchDigest.of(hi, lo, members);
    }
}
