package io.chukei.gateway.node;

import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.metrics.RelayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** The node's batch accounts: rebuilt from its journal at start (before it serves), and their meters. */
final class BatchAccounts
{
    private static final Logger LOG = LoggerFactory.getLogger(BatchAccounts.class);

    private BatchAccounts()
    {
    }

    /**
     * One sequential pass over the retained journal (manifests, members' ACCEPTED entries, verdicts). Its cost grows
     * with the journal, like a recovery without checkpoint: measured figures are in bench/README.md once taken.
     */
    static BatchLedger rebuild(final Journal journal, final RelayConfig.Batch config, final RelayMetrics metrics,
        final Clock clock)
    {
        final long startNs = System.nanoTime();
        final BatchLedger ledger = new BatchLedger(config.maxOpen(), config.maxSize());
        journal.forEachFact(ledger.rebuilder());
        LOG.info("Batch accounts rebuilt from the journal in {} ms: {} held, {} incomplete", (System.nanoTime() - startNs) /
            1_000_000, ledger.size(), ledger.open());
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
}
