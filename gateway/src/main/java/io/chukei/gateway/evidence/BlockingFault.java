package io.chukei.gateway.evidence;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A test-only fault ({@code faults.testSwitches=on}, admin {@code POST /faults/block-event-loop?ms=N}): holds the
 * thread it runs on, an event loop, for N ms, as a blocking call by mistake on an event loop would. Its frame is
 * what an evidence bundle's {@code threads.txt} must show.
 */
public final class BlockingFault
{
    private BlockingFault()
    {
    }

    public static void blockEventLoop(final long millis)
    {
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime())
        {
            LockSupport.parkNanos(left);
        }
    }
}
