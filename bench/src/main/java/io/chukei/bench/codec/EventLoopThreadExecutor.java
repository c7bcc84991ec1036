package io.chukei.bench.codec;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty {@link io.netty.util.concurrent.FastThreadLocalThread}s,
 * the kind of thread a Netty event loop is. Netty pools small objects per thread (the retained
 * slice each decoded frame is, the decoder's output list) only on such threads, so on JMH's
 * plain worker threads the decode path would show allocations the relay never makes.
 *
 * <p>Selected in the forked JVM by {@link ForkOptions#EXECUTOR} and {@link ForkOptions#EXECUTOR_CLASS};
 * JMH calls the {@code (int, String)} constructor.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor
{
    public EventLoopThreadExecutor(final int maxThreads, final String prefix)
    {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            new DefaultThreadFactory(prefix, true));
    }
}
