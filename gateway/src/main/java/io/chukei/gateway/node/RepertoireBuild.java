package io.chukei.gateway.node;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.protocol.validation.Repertoire;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** The text repertoire built on a thread of its own at start, so its tables load while the node does other work. */
final class RepertoireBuild
{
    private RepertoireBuild()
    {
    }

    static CompletableFuture<Repertoire> start(final RelayConfig.Validation validation)
    {
        return StartStep.start("chukei-repertoire", validation::buildRepertoire);
    }

    /** The built repertoire; the build's own exception (e.g. a malformed line of an operator's file) on failure. */
    static Repertoire await(final CompletableFuture<Repertoire> built) throws IOException, InterruptedException
    {
        return StartStep.await(built);
    }
}
