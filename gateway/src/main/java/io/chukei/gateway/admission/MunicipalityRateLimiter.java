package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;
import org.agrona.DirectBuffer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One Bucket4j token bucket per municipality code, made on first use at the code's rate
 * ({@link AdmissionConfig#rateFor}: code override, else tier, else default).
 *
 * <p>Rates change at run time with {@link #update}: the new table is swapped in and every
 * existing bucket moves to its new rate at once, keeping the tokens it has (capped at the new
 * burst). {@link #evictIdle()} releases buckets that nobody used for the idle time and that are full
 * again; a new bucket starts full, so releasing one changes no verdict.
 *
 * <p>Thread-safe: any event loop may call {@link #tryAcquire}. Checking an existing bucket takes no
 * lock on the table (only the bucket's own uncontended monitor) and allocates nothing when admitted:
 * {@code tryConsume} rather than {@code tryConsumeAndReturnRemaining}, whose ConsumptionProbe cost
 * 40 bytes a check (measured in {@code MunicipalityRateLimiterTest#anAdmittedCheckAllocatesNothing});
 * the time to the next token is asked for only on a refusal.
 */
public final class MunicipalityRateLimiter
{
    private static final java.util.concurrent.atomic.AtomicLongFieldUpdater<Entry> REQUESTS =
        java.util.concurrent.atomic.AtomicLongFieldUpdater.newUpdater(Entry.class, "requests");

    private final LongSupplier nanoTime;
    private final TimeMeter timeMeter;
    private final CodeTable<Entry> buckets = new CodeTable<>();
    private volatile Limits limits;

    /** The rate table in force and its generation; buckets made under an older generation re-read it. */
    private record Limits(AdmissionConfig config, int generation, long idleNanos)
    {
    }

    private static final class Entry
    {
        final LocalBucket bucket;
        volatile int generation;
        long capacity;
        long lastUsedNanos;
        // Submits seen, for the status page's top municipalities by traffic.
        volatile long requests;

        Entry(final LocalBucket bucket, final int generation, final long capacity, final long nowNanos)
        {
            this.bucket = bucket;
            this.generation = generation;
            this.capacity = capacity;
            this.lastUsedNanos = nowNanos;
        }
    }

    /** Real time. */
    public MunicipalityRateLimiter(final AdmissionConfig config)
    {
        this(config, System::nanoTime);
    }

    /** {@code nanoTime} drives refill and idleness (a controllable clock in tests). */
    public MunicipalityRateLimiter(final AdmissionConfig config, final LongSupplier nanoTime)
    {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.timeMeter = new TimeMeter()
        {
            @Override
            public long currentTimeNanos()
            {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased()
            {
                return false;
            }
        };
        this.limits = limits(Objects.requireNonNull(config, "config"), 1);
    }

    /**
     * Swaps in new rates and moves every existing bucket to its new rate now (tokens kept, capped at
     * the new burst). A bucket made concurrently under the old rates adopts the new ones on its next use.
     */
    public synchronized void update(final AdmissionConfig config)
    {
        final Limits next = limits(Objects.requireNonNull(config, "config"), limits.generation() + 1);
        limits = next;
        buckets.forEach((entry, code) -> adopt(entry, code, next));
    }

    public AdmissionConfig config()
    {
        return limits.config();
    }

    /** One request from {@code municipalityCode} (six ASCII digits). */
    public Decision tryAcquire(final CharSequence municipalityCode)
    {
        return tryAcquire(code(MunicipalityCodes.parse(municipalityCode), municipalityCode));
    }

    /** One request from the municipality whose six-digit code is at {@code offset} in {@code buffer} (e.g. a Submit). */
    public Decision tryAcquire(final DirectBuffer buffer, final int offset)
    {
        final int code = MunicipalityCodes.parse(buffer, offset);
        if (code == MunicipalityCodes.INVALID)
        {
            throw new IllegalArgumentException("municipalityCode at offset " + offset + ": not six ASCII digits " +
                "(expected: a validated Submit)");
        }
        return tryAcquire(code);
    }

    private Decision tryAcquire(final int code)
    {
        final Limits current = limits;
        final long now = nanoTime.getAsLong();
        Entry entry = buckets.get(code);
        if (entry == null)
        {
            entry = buckets.putIfAbsent(code, newEntry(code, current, now));
        }
        else if (entry.generation != current.generation())
        {
            adopt(entry, code, current);
        }
        entry.lastUsedNanos = now;
        REQUESTS.incrementAndGet(entry);
        if (entry.bucket.tryConsume(1))
        {
            return Decision.ADMITTED;
        }
        final EstimationProbe probe = entry.bucket.estimateAbilityToConsume(1);
        final long nextTokenMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill() + 999_999));
        // Spread over [next token, twice that]: requests refused in one burst would otherwise all come back
        // at the same instant and meet an empty bucket together again.
        return Decision.rateLimited(nextTokenMs + ThreadLocalRandom.current().nextLong(nextTokenMs + 1));
    }

    /**
     * Releases buckets unused for {@code admission.bucket.idleMinutes} and full again. Call it
     * periodically (e.g. every minute) from any one thread; returns how many were released.
     */
    public int evictIdle()
    {
        final Limits current = limits;
        final long now = nanoTime.getAsLong();
        return buckets.removeIf(entry -> now - entry.lastUsedNanos >= current.idleNanos() &&
            entry.bucket.getAvailableTokens() >= entry.capacity);
    }

    /** Told each held municipality's count of Submits since its bucket was made. */
    @FunctionalInterface
    public interface RequestCounts
    {
        void count(int municipalityCode, long requests);
    }

    /** Every held municipality's Submits since its bucket was made (an evicted bucket starts again at 0). */
    public void forEachRequestCount(final RequestCounts counts)
    {
        buckets.forEach((entry, code) -> counts.count(code, entry.requests));
    }

    /** Buckets currently held. */
    public int bucketCount()
    {
        return buckets.size();
    }

    /** Tokens left in the municipality's bucket; a full bucket's worth when it has none yet. */
    public long availableTokens(final String municipalityCode)
    {
        final int code = code(MunicipalityCodes.parse(municipalityCode), municipalityCode);
        final Entry entry = buckets.get(code);
        if (entry == null)
        {
            return limits.config().rateFor(municipalityCode).burst();
        }
        final Limits current = limits;
        if (entry.generation != current.generation())
        {
            adopt(entry, code, current);
        }
        return entry.bucket.getAvailableTokens();
    }

    private Entry newEntry(final int code, final Limits current, final long now)
    {
        final AdmissionConfig.Rate rate = current.config().rateFor(MunicipalityCodes.format(code));
        final LocalBucket bucket = new LocalBucketBuilder()
            .addLimit(bandwidth(rate))
            .withCustomTimePrecision(timeMeter)
            // In-place updates under a monitor: the lock-free strategy copies the bucket state on every call.
            .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
            .build();
        return new Entry(bucket, current.generation(), rate.burst(), now);
    }

    private static void adopt(final Entry entry, final int code, final Limits current)
    {
        synchronized (entry)
        {
            if (entry.generation == current.generation())
            {
                return;
            }
            final AdmissionConfig.Rate rate = current.config().rateFor(MunicipalityCodes.format(code));
            entry.bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(rate)).build(),
                TokensInheritanceStrategy.AS_IS);
            entry.capacity = rate.burst();
            entry.generation = current.generation();
        }
    }

    private static Bandwidth bandwidth(final AdmissionConfig.Rate rate)
    {
        // Greedy refill: tokens trickle back continuously, so retry-after is the time to the next single token.
        return Bandwidth.builder().capacity(rate.burst()).refillGreedy(rate.perSecond(), Duration.ofSeconds(1)).build();
    }

    private static Limits limits(final AdmissionConfig config, final int generation)
    {
        return new Limits(config, generation, TimeUnit.MINUTES.toNanos(config.bucketIdleMinutes()));
    }

    private static int code(final int parsed, final CharSequence text)
    {
        if (parsed == MunicipalityCodes.INVALID)
        {
            throw new IllegalArgumentException("municipalityCode: '" + text + "' (expected: six ASCII digits)");
        }
        return parsed;
    }
}
