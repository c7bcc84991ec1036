package io.chukei.gateway.admin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.protocol.text.SafeText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals an operator's action as an AUDIT entry naming the operator, and says so when the entry is not in the
 * journal or may not reach its disk. The action itself is carried out either way: isolating or draining a node whose
 * disk fails is what an operator most needs then, and refusing it for want of an audit entry would keep a failing
 * node in service. What the journal could not keep goes to the answer ({@code auditWarning}), the log (ERROR, with the
 * operator's identity) and {@code chukei_admin_actions_unaudited_total{action}}.
 *
 * <p>In {@code sync} mode the answer waits for the group-commit fsync that covers the entry, as an Accepted does, so an
 * answer without a warning means the entry is on the disk; a failed fsync, or none within {@link #DEFAULT_SYNC_WAIT}
 * (a hung disk), gives the warning instead.
 */
public final class ActionAudit
{
    /**
     * How long an answer waits for the fsync of its entry in {@code sync} mode before it warns: well within the 3 s
     * for which {@code chukei admin} waits for an answer (a group-commit fsync takes milliseconds on a working disk).
     */
    public static final Duration DEFAULT_SYNC_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(ActionAudit.class);

    private final Journal journal;
    private final MeterRegistry registry;
    private final Duration syncWait;
    private final Map<String, Counter> unaudited = new ConcurrentHashMap<>();

    public ActionAudit(final Journal journal, final MeterRegistry registry)
    {
        this(journal, registry, DEFAULT_SYNC_WAIT);
    }

    ActionAudit(final Journal journal, final MeterRegistry registry, final Duration syncWait)
    {
        this.journal = journal;
        this.registry = registry;
        this.syncWait = syncWait;
    }

    /**
     * Appends the entry. Completes with null once it is journaled as durably as the journal's mode promises, on a disk
     * that has failed no write; else with what the operator must be told: {@code not journaled: ...} (the journal
     * refused or failed the append, or is off), or that it was appended but may not reach the disk. Completed at once
     * except in {@code sync} mode, where it completes on the journal's sync thread or a timer.
     */
    public CompletableFuture<String> record(final AdminCaller caller, final String action, final String detail)
    {
        if (journal.durability() == JournalDurability.OFF)
        {
            return CompletableFuture.completedFuture(warn(caller, action, detail,
                "not journaled: journal.durability is off (benchmarks only)"));
        }
        final long index = journal.appendAudit(caller.actor(), action, detail);
        if (index < 0)
        {
            final String problem = journal.storageProblem();
            return CompletableFuture.completedFuture(warn(caller, action, detail, "not journaled: " +
                (problem != null ? problem : "the journal could not write the entry (the node's log says why)")));
        }
        if (journal.syncProblem() != null)
        {
            // Process mode's write-back check, or sync mode's fsync, failed before: no later fsync makes it durable.
            return CompletableFuture.completedFuture(warn(caller, action, detail, afterFailedWrite(index)));
        }
        if (journal.durability() != JournalDurability.SYNC)
        {
            return CompletableFuture.completedFuture(null);
        }
        final CompletableFuture<Boolean> durable = new CompletableFuture<>();
        // Completing a future is all these do: on the sync thread itself, never behind the event loops' work.
        journal.whenDurableOrFailed(index, Runnable::run, () -> durable.complete(true), () -> durable.complete(false));
        return durable.completeOnTimeout(false, syncWait.toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(synced -> synced ? null : warn(caller, action, detail, notSynced(index)));
    }

    private String afterFailedWrite(final long index)
    {
        return "journaled at index " + index + " after the disk under the journal failed a write (" +
            journal.syncProblem() + "); the entry may not reach the disk";
    }

    private String notSynced(final long index)
    {
        final String problem = journal.syncProblem();
        return problem != null ? "journaled at index " + index + ", but the fsync that was to cover it failed (" +
            problem + "); the entry may not reach the disk" :
            "journaled at index " + index + ", but no fsync covered it within " + syncWait.toMillis() + " ms (the disk " +
            "under the journal is slow or hung); the entry may not reach the disk";
    }

    private String warn(final AdminCaller caller, final String action, final String detail, final String warning)
    {
        unaudited.computeIfAbsent(action, a -> Counter.builder("chukei.admin.actions.unaudited")
            .description("Operator actions carried out whose audit entry is not in the journal or may not reach its disk")
            .tag("action", a).register(registry)).increment();
        LOG.error("Operator action {} by {} carried out, its audit entry {}: {}", action, caller.actor(), warning,
            SafeText.of(detail));
        return warning;
    }
}
