package io.chukei.protocol.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Generates request ids laid out as UUIDv7 (RFC 9562): a 48-bit millisecond timestamp, then 74
 * random bits around the version and variant bits. Ids sort by creation time to the
 * millisecond, which keeps journals and traces readable; the random bits make a collision
 * between connectors negligible. The version bits make an all-zero id impossible.
 *
 * <pre>
 *  hi: | unix_ts_ms (48) | ver=0111 (4) | rand_a (12) |
 *  lo: | var=10 (2)      | rand_b (62)                |
 * </pre>
 *
 * <p>The random bits come from a CSPRNG, so ids seen on the wire (or in a log) say nothing about
 * the next ones: the spec requires ids that cannot be guessed (the relay does not rely on it).
 * Each thread that calls {@link #next()} has its own {@link SecureRandom} ({@code DRBG}: NIST SP
 * 800-90A, seeded from the system's entropy source, never blocking once seeded) and takes the
 * bits from a buffer it refills {@value #BUFFER_BYTES} bytes at a time: one DRBG call costs
 * far more than the bytes it yields, and a shared instance would serialise the callers on its lock.
 * {@code bench/README.md}, <em>Request ids</em>, has the measurements.
 *
 * <p>Thread-safe.
 */
public final class TimeOrderedRequestIds
{
    /** Random bytes one DRBG call yields: the call's own cost is spread over this many ids' worth. */
    static final int BUFFER_BYTES = 1_000;
    /** Bytes taken per id: 8 for rand_b (62 bits used), 2 for rand_a (12 bits used). */
    static final int BYTES_PER_ID = 10;

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long RAND_B_MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long RAND_A_MASK = 0x0FFFL;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final Clock clock;
    private final ThreadLocal<RandomBytes> random = ThreadLocal.withInitial(RandomBytes::new);

    public TimeOrderedRequestIds(final Clock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
        // The JVM's first DRBG takes a few hundred ms to set up (provider, seed source); paid here, when the client
        // is built, rather than by its first send. Every other thread's first id costs about a millisecond.
        random.get();
    }

    public UUID next()
    {
        final RandomBytes bytes = random.get();
        final int at = bytes.take();
        final long randA = (short)SHORT.get(bytes.buffer, at + 8) & RAND_A_MASK;
        final long randB = (long)LONG.get(bytes.buffer, at) & RAND_B_MASK;
        return new UUID((clock.millis() << 16) | VERSION_7 | randA, VARIANT_RFC | randB);
    }

    /** One thread's CSPRNG and the bytes it produced and the thread has not used yet. */
    private static final class RandomBytes
    {
        private final SecureRandom source = drbg();
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;

        RandomBytes()
        {
            // Seeds the DRBG now (from the system's entropy source), not in the middle of someone's send.
            source.nextBytes(buffer);
        }

        /** Offset of one id's worth of fresh bytes in {@link #buffer}. */
        int take()
        {
            if (position + BYTES_PER_ID > BUFFER_BYTES)
            {
                source.nextBytes(buffer);
                position = 0;
            }
            final int at = position;
            position += BYTES_PER_ID;
            return at;
        }

        private static SecureRandom drbg()
        {
            try
            {
                return SecureRandom.getInstance("DRBG");
            }
            catch (final NoSuchAlgorithmException ex)
            {
                // A JVM configured without the SUN provider's DRBG (e.g. a FIPS set-up): its own default is a CSPRNG too.
                return new SecureRandom();
            }
        }
    }
}
