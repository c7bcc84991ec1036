package io.chukei.bench.cluster;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.RequestIndex;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.RequestState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The Jepsen-style end-of-run check: the connectors' records against the relays' journals and
 * card management's ledger. Lost: a request without a final answer, or answered with a Result
 * that card management never applied. Duplicated: applied more than once, or answered more than
 * once. Unexpected: rejected for a reason the run does not allow, applied although the connector
 * was told it was refused, or applied without anyone having sent it. Unfinished: a journal that
 * still holds a request as accepted-but-not-completed once the cluster is idle. A request the SDK ended with its own
 * DEADLINE_EXCEEDED and the connector then resolved by resending the same id is judged by the resend's answer and
 * counted as "resolved by resend": not hidden, not an error (it is the connector's documented duty).
 */
public final class ConsistencyCheck
{
    private ConsistencyCheck()
    {
    }

    /** The counts and a few examples of each problem. */
    public record Report(
        int submitted,
        int results,
        Map<ErrorCode, Integer> rejectedByCode,
        int lost,
        int duplicated,
        int unexpected,
        int unfinishedInJournals,
        int resolvedByResend,
        List<String> examples)
    {
        public boolean ok()
        {
            return lost == 0 && duplicated == 0 && unexpected == 0 && unfinishedInJournals == 0;
        }

        /** The table printed at the end of a run. */
        public String table()
        {
            final StringBuilder out = new StringBuilder();
            out.append(String.format("%-24s %8s%n", "check", "count"));
            out.append(String.format("%-24s %8d%n", "submitted", submitted));
            out.append(String.format("%-24s %8d%n", "results", results));
            out.append(String.format("%-24s %8d   %s%n", "rejected (allowed)",
                rejectedByCode.values().stream().mapToInt(Integer::intValue).sum(), rejectedByCode));
            out.append(String.format("%-24s %8d   %s%n", "resolved by resend", resolvedByResend,
                "(SDK's own DEADLINE_EXCEEDED, outcome then learnt by the same id)"));
            out.append(String.format("%-24s %8d%n", "lost", lost));
            out.append(String.format("%-24s %8d%n", "duplicated", duplicated));
            out.append(String.format("%-24s %8d%n", "unexpected", unexpected));
            out.append(String.format("%-24s %8d%n", "unfinished in journals", unfinishedInJournals));
            out.append(ok() ? "consistency: OK\n" : "consistency: FAILED\n");
            for (final String example : examples)
            {
                out.append("  ").append(example).append('\n');
            }
            return out.toString();
        }
    }

    /**
     * @param applied card management's ledger: how often each request id was applied
     * @param journalDirs every node's journal (read only; the nodes may be stopped or running)
     * @param allowed rejections the run expects for reasons unrelated to the fault
     */
    public static Report check(final List<? extends RequestRecord> sent, final Map<UUID, Integer> applied, final List<Path> journalDirs,
        final Set<ErrorCode> allowed)
    {
        final List<String> examples = new ArrayList<>();
        final Map<ErrorCode, Integer> rejected = new TreeMap<>();
        final Set<UUID> sentIds = new HashSet<>();
        int results = 0;
        int lost = 0;
        int duplicated = 0;
        int unexpected = 0;
        int resolvedByResend = 0;
        for (final RequestRecord request : sent)
        {
            if (request.resolvedAfterLocalDeadline())
            {
                resolvedByResend++;
            }
            final UUID id = request.requestId();
            sentIds.add(id);
            final int appliedCount = applied.getOrDefault(id, 0);
            final Answer answer = request.answer();
            if (request.answers() > 1 || appliedCount > 1)
            {
                duplicated++;
                example(examples, "duplicated " + id + ": " + request.answers() + " answers, applied " + appliedCount + "x");
            }
            if (answer == null)
            {
                lost++;
                example(examples, "lost " + id + " (" + request.municipality() + "): no final answer");
            }
            else if (answer instanceof Answer.Result)
            {
                results++;
                if (appliedCount == 0)
                {
                    lost++;
                    example(examples, "lost " + id + ": Result delivered, never applied by card management");
                }
            }
            else if (answer instanceof Answer.Rejected refusal)
            {
                rejected.merge(refusal.code(), 1, Integer::sum);
                if (!allowed.contains(refusal.code()))
                {
                    unexpected++;
                    example(examples, "unexpected " + id + ": rejected " + refusal.code() + " (" + refusal.detail() + ")");
                }
                // Only an unknown outcome may have been applied: the relay's OUTCOME_UNKNOWN, or the SDK's own
                // DEADLINE_EXCEEDED (the relay said nothing). The relay's DEADLINE_EXCEEDED means nothing was applied.
                else if (appliedCount > 0 && refusal.code() != ErrorCode.OUTCOME_UNKNOWN &&
                    !(refusal.code() == ErrorCode.DEADLINE_EXCEEDED && refusal.local()))
                {
                    unexpected++;
                    example(examples, "unexpected " + id + ": told " + refusal.code() + " but applied " + appliedCount + "x");
                }
            }
        }
        for (final UUID id : applied.keySet())
        {
            if (!sentIds.contains(id))
            {
                unexpected++;
                example(examples, "unexpected " + id + ": applied by card management, never sent");
            }
        }
        final int unfinished = unfinishedInJournals(journalDirs, examples);
        return new Report(sent.size(), results, rejected, lost, duplicated, unexpected, unfinished, resolvedByResend,
            List.copyOf(examples));
    }

    private static int unfinishedInJournals(final List<Path> journalDirs, final List<String> examples)
    {
        int unfinished = 0;
        for (final Path dir : journalDirs)
        {
            if (!Files.isDirectory(dir))
            {
                continue;
            }
            try (Journal journal = Journal.open(JournalConfig.builder().directory(dir).readOnly(true).build()))
            {
                final RequestIndex index = journal.recover().requests();
                final Map<String, Integer> counts = new HashMap<>();
                final int[] pending = new int[1];
                index.forEachSlot(slot ->
                {
                    final RequestState state = RequestState.get(index.state(slot));
                    if (state == RequestState.ACCEPTED || state == RequestState.FORWARDED)
                    {
                        pending[0]++;
                        counts.merge(new UUID(index.idHi(slot), index.idLo(slot)).toString(), 1, Integer::sum);
                    }
                });
                unfinished += pending[0];
                counts.keySet().stream().limit(3).forEach(id -> example(examples, "unfinished " + id + " in " + dir));
            }
        }
        return unfinished;
    }

    private static void example(final List<String> examples, final String text)
    {
        if (examples.size() < 12)
        {
            examples.add(text);
        }
    }
}
