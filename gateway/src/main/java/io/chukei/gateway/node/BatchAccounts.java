package io.chukei.gateway.node;

import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.metrics.RelayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** The node's batch accounts: rebuilt from its journal after each start, and their meters. */
final class BatchAccounts
{
    private static final Logger LOG = LoggerFactory.getLogger(BatchAccounts.class);

    private BatchAccounts()
    {
    }

    /** An empty ledger of {@code batch.*} bounds, and its meters; {@link #rebuild} fills it. */
    static BatchLedger create(final RelayConfig.Batch config, final RelayMetrics metrics, final Clock clock)
    {
        final BatchLedger ledger = new BatchLedger(config.maxOpen(), config.maxSize());
        metrics.gauge("chukei.batches.held", "Batch accounts this node holds (at most batch.maxOpen)", ledger::size);
        metrics.gauge("chukei.batches.open", "Declared batches with a sequence not finally answered on this node " +
            "(members on another node after a failover count as not answered here)", ledger::open);
        metrics.gauge("chukei.batches.unanswered", "Batches with members accepted on this node and not finally answered",
            ledger::unanswered);
        metrics.gauge("chukei.batch.incomplete.idle.seconds", "Longest time an incomplete batch has gone without a " +
            "member accepted or answered on this node (0: none incomplete)", () -> ledger.incompleteIdleSeconds(clock.millis()));
        metrics.gauge("chukei.batch.unanswered.idle.seconds", "Longest time a batch with members accepted here and " +
            "not answered has gone without member activity (0: none)", () -> ledger.unansweredIdleSeconds(clock.millis()));
        return ledger;
    }

    /**
     * One sequential pass over the retained journal (manifests, members' ACCEPTED entries, verdicts), to its end as it
     * is when the pass gets there. Its cost grows with the journal (~6 s for 30 M entries at load 25, bench/README.md
     * "Restart time"), so it runs after the node is ready, batch traffic refused meanwhile
     * ({@link io.chukei.gateway.relay.RelayCore#batchesRebuilding()}). Member verdicts the node journals meanwhile
     * (recovered requests) reach the accounts either way: each is applied after its entry is written, so the pass
     * either reads the entry or has already read everything the update needs.
     */
    static void rebuild(final Journal journal, final BatchLedger ledger, final java.util.function.BooleanSupplier stop)
    {
        final long startNs = System.nanoTime();
        final java.util.function.Consumer<io.chukei.gateway.journal.JournalFact> rebuilder = ledger.rebuilder();
        journal.forEachFact(fact ->
        {
            if (stop.getAsBoolean())
            {
                throw new Stopped();
            }
            rebuilder.accept(fact);
        });
        LOG.info("Batch accounts rebuilt from the journal in {} ms: {} held, {} incomplete", (System.nanoTime() - startNs) /
            1_000_000, ledger.size(), ledger.open());
    }

    /** Ends a rebuild when the node closes (the journal closes after it). */
    static final class Stopped extends RuntimeException
    {
        Stopped()
        {
            super("node closing", null, false, false);
        }
    }
}
