package io.chukei.gateway.journal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The journal's background threads park between passes; stopping one is the same for each. */
final class ParkedThreads
{
    private ParkedThreads()
    {
    }

    /**
     * Wakes {@code thread}, whose loop has been told to stop, and waits up to {@code timeout} for it to end (an
     * interrupt of the caller ends the wait and is kept).
     */
    static void wakeAndJoin(final Thread thread, final Duration timeout)
    {
        LockSupport.unpark(thread);
        try
        {
            thread.join(timeout.toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
