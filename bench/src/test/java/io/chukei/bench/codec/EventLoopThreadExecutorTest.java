package io.chukei.bench.codec;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopThreadExecutorTest
{
    @Test
    void runsTasksOnNettyFastThreadLocalThreadsLikeAnEventLoop() throws Exception
    {
        final EventLoopThreadExecutor executor = new EventLoopThreadExecutor(1, "jmh-worker");
        try
        {
            final Thread thread = executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

            assertThat(thread).isInstanceOf(FastThreadLocalThread.class);
            assertThat(thread.isDaemon()).isTrue();
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
