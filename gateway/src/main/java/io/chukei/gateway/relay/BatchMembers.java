package io.chukei.gateway.relay;

import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.protocol.sbe.SubmitDecoder;

/** Finds the batch account a Submit belongs to, from its batch fields; nothing for a request outside any batch. */
final class BatchMembers
{
    private BatchMembers()
    {
    }

    /** The account of the Submit's batch on this node, or null (no ledger, not a member, batch not declared here). */
    static BatchAccount accountOf(final BatchLedger ledger, final int scope, final SubmitDecoder submit)
    {
        if (ledger == null)
        {
            return null;
        }
        final long batchId = submit.batchId();
        if (batchId == SubmitDecoder.batchIdNullValue() || submit.batchSequence() == SubmitDecoder.batchSequenceNullValue())
        {
            return null;
        }
        return ledger.find(scope, batchId);
    }

    /** Whether the Submit carries batch fields (a batch id and a sequence). */
    static boolean isMember(final SubmitDecoder submit)
    {
        return submit.batchId() != SubmitDecoder.batchIdNullValue() &&
            submit.batchSequence() != SubmitDecoder.batchSequenceNullValue();
    }

    /** A member refused by a field rule (other than its batch fields) before acceptance. */
    static void rejectedAtArrival(final BatchLedger ledger, final int scope, final SubmitDecoder submit, final long nowMs)
    {
        final BatchAccount account = accountOf(ledger, scope, submit);
        if (account != null && submit.batchSize() == account.size())
        {
            account.rejectedAtArrival(submit.batchSequence(), nowMs);
        }
    }
}
