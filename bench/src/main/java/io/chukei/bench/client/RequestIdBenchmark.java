package io.chukei.bench.client;

import io.chukei.protocol.client.TimeOrderedRequestIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one request id (UUIDv7 layout: clock read, 74 random bits, one {@link UUID}), shared by
 * every thread of the run, the way one {@code ConnectorClient} serves all its callers:
 * <ul>
 *   <li>{@code baselineThreadLocalRandom}: the generator before this change, random bits from
 *       {@code ThreadLocalRandom} (predictable);</li>
 *   <li>{@code timeOrderedRequestIds}: the SDK's generator, a DRBG per thread read through a
 *       buffer refilled in bulk;</li>
 *   <li>{@code sharedDrbgPerId} and {@code sharedNativePrngPerId}: the obvious alternatives, one
 *       {@link SecureRandom} for all threads ({@code DRBG}, or the platform default, on Linux
 *       {@code NativePRNG}) asked for two longs per id.</li>
 * </ul>
 * Run from the worktree root after {@code mvn -B -o -q -DskipTests package}, with one and with two
 * threads (the shared instances serialise on their lock):
 * <pre>
 *   ops/chukei jmh RequestIdBenchmark -prof gc -t 1
 *   ops/chukei jmh RequestIdBenchmark -prof gc -t 2
 * </pre>
 * Read the results as ratios to the baseline measured in the same run; every case allocates
 * the 32-byte UUID, and the per-id SecureRandom calls also an 8-byte array per long.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class RequestIdBenchmark
{
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;

    private final Clock clock = Clock.systemUTC();
    private final ThreadLocalRandomRequestIds before = new ThreadLocalRandomRequestIds(clock);
    private final TimeOrderedRequestIds ids = new TimeOrderedRequestIds(clock);
    private final SecureRandom sharedDrbg = drbg();
    private final SecureRandom sharedDefault = new SecureRandom();

    @Benchmark
    public UUID baselineThreadLocalRandom()
    {
        return before.next();
    }

    @Benchmark
    public UUID timeOrderedRequestIds()
    {
        return ids.next();
    }

    @Benchmark
    public UUID sharedDrbgPerId()
    {
        return perCall(sharedDrbg);
    }

    @Benchmark
    public UUID sharedNativePrngPerId()
    {
        return perCall(sharedDefault);
    }

    private UUID perCall(final SecureRandom random)
    {
        final long hi = (clock.millis() << 16) | VERSION_7 | (random.nextLong() & 0x0FFFL);
        final long lo = VARIANT_RFC | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(hi, lo);
    }

    private static SecureRandom drbg()
    {
        try
        {
            return SecureRandom.getInstance("DRBG");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("DRBG: not available in this JVM", ex);
        }
    }
}
