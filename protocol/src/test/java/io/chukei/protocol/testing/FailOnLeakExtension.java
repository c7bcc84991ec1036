package io.chukei.protocol.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class whose buffers leaked. Registered for every class by auto-detection
 * ({@code junit-platform.properties}). Netty reports a leak only when the leaked buffer has
 * been collected and a later buffer is tracked, so this collects garbage and tracks a few
 * buffers before it asks {@link LeakRecorder}. A leak found here may come from an earlier
 * class in the same JVM; the report's records say where the buffer was last touched.
 */
public final class FailOnLeakExtension implements AfterAllCallback
{
    private static final int ROUNDS = 3;

    @Override
    public void afterAll(final ExtensionContext context)
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            System.gc();
            for (int i = 0; i < 64; i++)
            {
                release(PooledByteBufAllocator.DEFAULT.directBuffer(8));
                release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(8));
            }
        }
        final List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty())
        {
            throw new AssertionError(leaks.size() + " buffer leak(s) reported by Netty during or before " +
                context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    private static void release(final ByteBuf buffer)
    {
        buffer.release();
    }
}
