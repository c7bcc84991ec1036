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
 * <p>Selected in the forked JVM by {@link #EXECUTOR_OPTION} and {@link #EXECUTOR_CLASS_OPTION},
 * which the benchmarks put in {@code @Fork(jvmArgsPrepend = ...)}: the {@code -jvmArgsAppend}
 * that carries the JVM flags (see {@code ops/chukei}) would replace them if they were there. JMH calls the {@code (int, String)} constructor.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor
{
    /** JVM option that makes JMH take its executor from {@link #EXECUTOR_CLASS_OPTION}. */
    public static final String EXECUTOR_OPTION = "-Djmh.executor=CUSTOM";
    public static final String EXECUTOR_CLASS_OPTION =
        "-Djmh.executor.class=io.chukei.bench.codec.EventLoopThreadExecutor";

    public EventLoopThreadExecutor(final int maxThreads, final String prefix)
    {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            new DefaultThreadFactory(prefix, true));
    }
}
