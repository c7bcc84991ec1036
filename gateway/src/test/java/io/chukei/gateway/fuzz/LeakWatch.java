package io.chukei.gateway.fuzz;

import java.util.List;

import io.chukei.protocol.testing.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * Netty's own leak detector at paranoid level as a second net behind {@link TrackingAllocator} (which
 * sees only the buffers a channel allocates): every {@value #CHECK_EVERY} inputs, garbage is collected and
 * any leak Netty reported fails the input at hand. JUnit runs also check after each class
 * (FailOnLeakExtension).
 */
public final class LeakWatch
{
    static final int CHECK_EVERY = 50_000;

    private static long inputs;

    static
    {
        LeakRecorder.install();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private LeakWatch()
    {
    }

    /** Call at the start of each input. */
    public static void input()
    {
        if (++inputs % CHECK_EVERY == 0)
        {
            check();
        }
    }

    static void check()
    {
        System.gc();
        for (int i = 0; i < 64; i++)
        {
            final ByteBuf probe = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
            probe.release();
        }
        final List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty())
        {
            throw new AssertionError(leaks.size() + " buffer leak(s) reported by Netty:\n" + String.join("\n", leaks));
        }
    }
}
