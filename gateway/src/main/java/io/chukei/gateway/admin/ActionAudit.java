package io.chukei.gateway.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chukei.gateway.journal.Journal;
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
 */
public final class ActionAudit
{
    private static final Logger LOG = LoggerFactory.getLogger(ActionAudit.class);

    private final Journal journal;
    private final MeterRegistry registry;
    private final Map<String, Counter> unaudited = new ConcurrentHashMap<>();

    public ActionAudit(final Journal journal, final MeterRegistry registry)
    {
        this.journal = journal;
        this.registry = registry;
    }

    /**
     * Appends the entry. Null when it is journaled on a disk that has failed no write; else what the operator must be
     * told: {@code not journaled: ...} (the journal refused or failed the append), or that it was appended after the
     * disk failed a write and may be lost with the pages the disk dropped.
     */
    public String record(final AdminCaller caller, final String action, final String detail)
    {
        final long index = journal.appendAudit(caller.actor(), action, detail);
        final String warning;
        if (index < 0)
        {
            final String problem = journal.storageProblem();
            warning = "not journaled: " + (problem != null ? problem :
                "the journal could not write the entry (the node's log says why)");
        }
        else if (journal.syncProblem() != null)
        {
            warning = "journaled at index " + index + " after the disk under the journal failed a write (" +
                journal.syncProblem() + "); the entry may not reach the disk";
        }
        else
        {
            return null;
        }
        unaudited.computeIfAbsent(action, a -> Counter.builder("chukei.admin.actions.unaudited")
            .description("Operator actions carried out whose audit entry is not in the journal or may not reach its disk")
            .tag("action", a).register(registry)).increment();
        LOG.error("Operator action {} by {} carried out, its audit entry {}: {}", action, caller.actor(), warning,
            SafeText.of(detail));
        return warning;
    }
}
