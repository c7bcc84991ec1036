package io.chukei.gateway.node;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** A step of a node's start run on a named thread of its own, beside the start's other steps. */
final class StartStep
{
    private StartStep()
    {
    }

    static <T> CompletableFuture<T> start(final String threadName, final Callable<T> step)
    {
        // A named daemon thread of its own, not the common pool: a thread dump of a starting node says what it does.
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return step.call();
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new CompletionException(ex);
            }
        }, task ->
        {
            final Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The step's result; on failure the step's own exception (unchecked, or an I/O failure), as it would have been thrown in line. */
    static <T> T await(final CompletableFuture<T> step) throws IOException, InterruptedException
    {
        try
        {
            return step.get();
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause() instanceof CompletionException wrapped && wrapped.getCause() != null ?
                wrapped.getCause() : ex.getCause();
            if (cause instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (cause instanceof Error error)
            {
                throw error;
            }
            if (cause instanceof IOException io)
            {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted)
            {
                throw interrupted;
            }
            throw new IllegalStateException(cause);
        }
    }
}
