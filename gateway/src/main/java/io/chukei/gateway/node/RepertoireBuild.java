package io.chukei.gateway.node;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.protocol.validation.Repertoire;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The text repertoire built on a thread of its own at start, so its tables load while the node does other work. */
final class RepertoireBuild
{
    private RepertoireBuild()
    {
    }

    static CompletableFuture<Repertoire> start(final RelayConfig.Validation validation)
    {
        // A named daemon thread of its own, not the common pool: a thread dump of a starting node says what it does.
        return CompletableFuture.supplyAsync(validation::buildRepertoire, task ->
        {
            final Thread thread = new Thread(task, "chukei-repertoire");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The built repertoire; the build's own exception (e.g. a malformed line of an operator's file) on failure. */
    static Repertoire await(final CompletableFuture<Repertoire> built) throws InterruptedException
    {
        try
        {
            return built.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (ex.getCause() instanceof Error error)
            {
                throw error;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }
}
