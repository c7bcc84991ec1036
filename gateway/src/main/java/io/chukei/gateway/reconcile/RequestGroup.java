package io.chukei.gateway.reconcile;

import java.util.function.Consumer;

import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.codec.RequestIds;
import io.chukei.protocol.codec.WireNames;
import io.chukei.protocol.sbe.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * Everything known about one request (one key) across every source, and what is wrong with it. Reused from key to
 * key ({@link #load}); the facts' order does not matter, so journals, export and connector records may come in any
 * order.
 */
final class RequestGroup
{
    private static final int STATUS_OK = 1;
    private static final int STATUS_REFUSED = 2;
    private static final long NO_TIME = Long.MAX_VALUE;

    private final String[] journalNames;

    int scope;
    long idHi;
    long idLo;
    int accepted;
    /** Journals (by position) that accepted it, as a bit set: up to 64 journals are named, the rest counted. */
    long acceptedBy;
    int acceptingNode;
    long firstAcceptedMs;
    int completedOk;
    int completedRefused;
    int completedOther;
    /** Journals that answered it with an Outcome, as a bit set. */
    long completedBy;
    int rejected;
    int rejectedCode;
    int outcomeUnknown;
    long appliedCount;
    int appliedStatus;
    long firstAppliedMs;
    int sent;
    int sentAnswer;
    long sentMs;
    long batchId;
    long batchSequence;
    long batchSize;

    RequestGroup(final String[] journalNames)
    {
        this.journalNames = journalNames;
    }

    void load(final DirectBuffer facts, final int[] offsets, final int count)
    {
        scope = facts.getInt(offsets[0] + Fact.SCOPE);
        idHi = facts.getLong(offsets[0] + Fact.ID_HI);
        idLo = facts.getLong(offsets[0] + Fact.ID_LO);
        accepted = 0;
        acceptedBy = 0;
        acceptingNode = 0;
        firstAcceptedMs = NO_TIME;
        completedOk = 0;
        completedRefused = 0;
        completedOther = 0;
        completedBy = 0;
        rejected = 0;
        rejectedCode = 0;
        outcomeUnknown = 0;
        appliedCount = 0;
        appliedStatus = 0;
        firstAppliedMs = NO_TIME;
        sent = 0;
        sentAnswer = 0;
        sentMs = NO_TIME;
        batchId = io.chukei.gateway.journal.RequestFacts.NO_BATCH;
        batchSequence = 0;
        batchSize = 0;
        for (int i = 0; i < count; i++)
        {
            add(facts, offsets[i]);
        }
    }

    private void add(final DirectBuffer facts, final int at)
    {
        final int source = facts.getShort(at + Fact.SOURCE) & 0xFFFF;
        final int code = facts.getInt(at + Fact.CODE);
        final long timeMs = facts.getLong(at + Fact.TIME_MS);
        switch (facts.getByte(at + Fact.KIND))
        {
            case Fact.ACCEPTED ->
            {
                accepted++;
                acceptedBy |= source < 64 ? 1L << source : 0;
                if (timeMs < firstAcceptedMs)
                {
                    firstAcceptedMs = timeMs;
                    acceptingNode = facts.getInt(at + Fact.COUNT);
                }
                takeBatch(facts, at);
            }
            case Fact.COMPLETED ->
            {
                if (code == STATUS_OK)
                {
                    completedOk++;
                }
                else if (code == STATUS_REFUSED)
                {
                    completedRefused++;
                }
                else
                {
                    completedOther++;
                }
                completedBy |= source < 64 ? 1L << source : 0;
            }
            case Fact.REJECTED ->
            {
                rejected++;
                rejectedCode = code;
            }
            case Fact.OUTCOME_UNKNOWN -> outcomeUnknown++;
            case Fact.APPLIED ->
            {
                appliedCount += facts.getInt(at + Fact.COUNT);
                if (timeMs < firstAppliedMs)
                {
                    firstAppliedMs = timeMs;
                    appliedStatus = code;
                }
            }
            case Fact.SENT ->
            {
                sent++;
                sentAnswer = Math.max(sentAnswer, code);
                sentMs = Math.min(sentMs, timeMs);
                if (batchId == io.chukei.gateway.journal.RequestFacts.NO_BATCH)
                {
                    takeBatch(facts, at);
                }
            }
            default ->
            {
                // A kind this version does not write.
            }
        }
    }

    private void takeBatch(final DirectBuffer facts, final int at)
    {
        final long id = facts.getLong(at + Fact.BATCH_ID);
        if (id != io.chukei.gateway.journal.RequestFacts.NO_BATCH)
        {
            batchId = id;
            batchSequence = facts.getInt(at + Fact.BATCH_SEQUENCE) & 0xFFFF_FFFFL;
            batchSize = Math.max(batchSize, facts.getInt(at + Fact.BATCH_SIZE) & 0xFFFF_FFFFL);
        }
    }

    /** When the request belongs to a day: accepted, else sent by a connector, else applied upstream (epoch ms). */
    long referenceMs()
    {
        return firstAcceptedMs != NO_TIME ? firstAcceptedMs : sentMs != NO_TIME ? sentMs : firstAppliedMs;
    }

    boolean inBatch()
    {
        return batchId != io.chukei.gateway.journal.RequestFacts.NO_BATCH;
    }

    boolean answered()
    {
        return completedOk + completedRefused + completedOther + rejected > 0;
    }

    /** Hands on every discrepancy of this request; returns how many. */
    int findDiscrepancies(final Consumer<Discrepancy> sink)
    {
        int found = 0;
        final boolean completed = completedOk + completedRefused + completedOther > 0;
        if (accepted > 0 && !answered() && appliedCount == 0)
        {
            found += report(sink, outcomeUnknown > 0 ? DiscrepancyKind.OUTCOME_UNKNOWN : DiscrepancyKind.NO_FINAL_ANSWER,
                "accepted by " + nodes(acceptedBy) + (outcomeUnknown > 0 ? "; deadline passed after a forward, no " +
                "Outcome since" : "; no final answer") + "; not in card management's export");
        }
        if (appliedCount > 0 && !answered())
        {
            found += report(sink, DiscrepancyKind.APPLIED_NOT_ANSWERED, "applied " + status(appliedStatus) + " upstream; " +
                (accepted == 0 ? "accepted by no node" : "accepted by " + nodes(acceptedBy) +
                (outcomeUnknown > 0 ? ", outcome unknown there" : ", no final answer")));
        }
        if (appliedCount > 0 && !completed && rejected > 0)
        {
            found += report(sink, DiscrepancyKind.APPLIED_BUT_REJECTED, "applied " + status(appliedStatus) +
                " upstream; answered Rejected " + errorName(rejectedCode));
        }
        if (completed && appliedCount == 0)
        {
            found += report(sink, DiscrepancyKind.SILENT_DROP, "answered " + answeredStatus() + " by " + nodes(completedBy) +
                "; absent from card management's export");
        }
        if (appliedCount > 1)
        {
            found += report(sink, DiscrepancyKind.APPLIED_TWICE, "applied " + appliedCount + " times upstream");
        }
        final boolean oneStatus = completedOther == 0 && (completedOk == 0) != (completedRefused == 0);
        if (oneStatus && appliedCount > 0 && (completedOk > 0) != (appliedStatus == STATUS_OK))
        {
            found += report(sink, DiscrepancyKind.OUTCOME_MISMATCH, "answered " + answeredStatus() +
                ", card management recorded " + status(appliedStatus));
        }
        if (completedOk > 0 && completedRefused > 0 || completed && rejected > 0)
        {
            found += report(sink, DiscrepancyKind.CONFLICTING_ANSWERS, "answers: " + completedOk + " OK, " +
                completedRefused + " REFUSED, " + rejected + " Rejected" + (rejected > 0 ? " " + errorName(rejectedCode) : ""));
        }
        if (sent > 0 && accepted == 0)
        {
            found += report(sink, DiscrepancyKind.NEVER_ACCEPTED, "in a connector's records" +
                (sentAnswer == ConnectorRecord.UNRESOLVED ? ", unresolved there" : " with a final answer") +
                "; in no node's journal");
        }
        return found;
    }

    private int report(final Consumer<Discrepancy> sink, final DiscrepancyKind kind, final String detail)
    {
        sink.accept(new Discrepancy(kind, municipality(scope), RequestIds.format(idHi, idLo),
            inBatch() ? batchId : null, inBatch() ? batchSequence : 0, detail));
        return 1;
    }

    static String municipality(final int scope)
    {
        return scope < 0 ? "-" : MunicipalityCodes.format(scope);
    }

    private String answeredStatus()
    {
        return completedOk > 0 ? "OK" : completedRefused > 0 ? "REFUSED" : "status " + completedOther;
    }

    private static String status(final int code)
    {
        return code == STATUS_OK ? "OK" : code == STATUS_REFUSED ? "REFUSED" : "status " + code;
    }

    private static String errorName(final int code)
    {
        return code == ErrorCode.NULL_VAL.value() ? "code " + code : WireNames.errorCode(code);
    }

    private String nodes(final long journals)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(64, journalNames.length); i++)
        {
            if ((journals & 1L << i) != 0)
            {
                text.append(text.length() == 0 ? "" : ", ").append(journalNames[i]);
            }
        }
        return text.length() == 0 ? "a node" : text.toString();
    }
}
