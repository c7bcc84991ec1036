package io.chukei.bench.codec;

/**
 * JVM options every codec and validation benchmark puts in {@code @Fork(jvmArgsPrepend = ...)}.
 * They go there, not in {@code jvmArgsAppend}, because {@code ops/chukei jmh} passes the JVM
 * flags with {@code -jvmArgsAppend}, and a command-line option replaces the annotation's.
 */
public final class ForkOptions
{
    /** Makes JMH take its worker threads from {@link #EXECUTOR_CLASS}. */
    public static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    /** Worker threads like an event loop's: see {@link EventLoopThreadExecutor}. */
    public static final String EXECUTOR_CLASS = "-Djmh.executor.class=io.chukei.bench.codec.EventLoopThreadExecutor";
    /**
     * No leak-detection sampling. Netty tracks one buffer in 128 at the default level, and every
     * retained slice of a tracked pooled buffer costs a leak record (~1.5 KB measured). A benchmark
     * reuses one fixture buffer for millions of operations, so that 1-in-128 draw would decide a
     * whole fork: most forks 0 B/op, a few 1560 B/op and 20 times slower.
     */
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    private ForkOptions()
    {
    }
}
