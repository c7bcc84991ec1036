package io.chukei.gateway.relay;

import io.chukei.gateway.admission.Decision;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.BatchDeclareDecoder;
import io.chukei.protocol.sbe.BatchStatusQueryDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderDecoder;

import java.time.Clock;

/**
 * BatchDeclare and BatchStatusQuery, both answered by a BatchStatusReply. A batch is keyed by (the certificate's
 * municipality, batch id): a session declares and sees only its own municipality's batches, and a query for another
 * municipality's batch id gets exactly the answer for an id nobody declared (UNKNOWN, no counts, no ranges). Both
 * share the municipality's StatusQuery rate (connector.statusQuery.rate / burst).
 */
final class BatchRequests
{
    private static final int DECLARE_MUNICIPALITY_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + BatchDeclareDecoder.municipalityCodeEncodingOffset();
    private static final int QUERY_MUNICIPALITY_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + BatchStatusQueryDecoder.municipalityCodeEncodingOffset();
    private static final int DIGEST_LENGTH = 32;

    private final int nodeId;
    private final Journal journal;
    private final MunicipalityRateLimiter queryLimiter;
    private final RelayMetrics metrics;
    private final Clock clock;

    BatchRequests(final int nodeId, final Journal journal, final MunicipalityRateLimiter queryLimiter,
        final RelayMetrics metrics, final Clock clock)
    {
        this.nodeId = nodeId;
        this.journal = journal;
        this.queryLimiter = queryLimiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    void declare(final ConnectorSession session, final MessageReader reader, final int scope, final BatchLedger ledger)
    {
        final BatchDeclareDecoder declare = reader.batchDeclare();
        final long batchId = declare.batchId();
        if (refusedMunicipality(session, reader, DECLARE_MUNICIPALITY_OFFSET, batchId, declare.municipalityCode()) ||
            refusedRate(session, reader, DECLARE_MUNICIPALITY_OFFSET, batchId))
        {
            return;
        }
        if (ledger == null)
        {
            refuse(session, batchId, ErrorCode.NODE_UNAVAILABLE, FieldId.BATCH_ID, "batchId: this node keeps no batch " +
                "accounts (expected: a relay node with batch accounts) (rule: NODE_UNAVAILABLE)");
            return;
        }
        final byte[] digest = new byte[DIGEST_LENGTH];
        declare.getMemberDigest(digest, 0, DIGEST_LENGTH);
        final long size = declare.batchSize();
        final BatchLedger.Declaration outcome = ledger.declare(scope, batchId, size, digest, clock.millis());
        final String batch = Long.toUnsignedString(batchId);
        switch (outcome)
        {
            case DECLARED ->
            {
                if (journal.appendBatchDeclared(scope, batchId, (int)size, digest) == Journal.APPEND_FAILED)
                {
                    // The account stays: members accepted meanwhile are journaled with their batch fields, and the
                    // connector re-declares on its next session (the manifest is then journaled).
                    refuse(session, batchId, ErrorCode.JOURNAL_UNAVAILABLE, FieldId.NONE, "journal: append of the " +
                        "manifest of batch " + batch + " failed (rule: JOURNAL_UNAVAILABLE)");
                    return;
                }
                answer(session, batchId, ledger.find(scope, batchId), 1);
            }
            case ALREADY_DECLARED -> answer(session, batchId, ledger.find(scope, batchId), 1);
            case CONFLICT_SIZE -> refuse(session, batchId, ErrorCode.BATCH_CONFLICT, FieldId.BATCH_SIZE, "batchSize: " +
                size + " (expected: " + ledger.find(scope, batchId).size() + ", the size batch " + batch +
                " was declared with) (rule: BATCH_CONFLICT)");
            case CONFLICT_DIGEST -> refuse(session, batchId, ErrorCode.BATCH_CONFLICT, FieldId.BATCH_DIGEST,
                "memberDigest: differs from the digest batch " + batch + " was declared with (expected: the same " +
                    "manifest for every declaration of a batch id) (rule: BATCH_CONFLICT)");
            case TOO_LARGE -> refuse(session, batchId, ErrorCode.INVALID_BATCH, FieldId.BATCH_SIZE, "batchSize: " + size +
                " (expected: 1.." + ledger.maxSize() + ", batch.maxSize of this node) (rule: INVALID_BATCH)");
            case TOO_MANY -> refuse(session, batchId, ErrorCode.TOO_MANY_OPEN_BATCHES, FieldId.BATCH_ID, "batchId: " +
                batch + ": this node already accounts for " + ledger.maxOpen() + " incomplete batches (expected: at " +
                "most batch.maxOpen; declare again later) (rule: TOO_MANY_OPEN_BATCHES)");
            default -> throw new IllegalStateException("declaration: " + outcome);
        }
    }

    /** The detail of every refusal while the batch accounts are rebuilt after a start. */
    static final String REBUILDING = "batchId: this node is rebuilding its batch accounts from the journal after a " +
        "start (expected: the same message again after retryAfterMs; requests outside batches are served) " +
        "(rule: OVERLOADED)";

    /** A batch message while the accounts are rebuilt ({@link RelayCore#batchesRebuilding()}): send it again later. */
    void refuseWhileRebuilding(final ConnectorSession session, final long batchId)
    {
        refuse(session, batchId, ErrorCode.OVERLOADED, FieldId.BATCH_ID, REBUILDING);
    }

    void status(final ConnectorSession session, final MessageReader reader, final BatchLedger ledger)
    {
        final BatchStatusQueryDecoder query = reader.batchStatusQuery();
        final long batchId = query.batchId();
        if (refusedMunicipality(session, reader, QUERY_MUNICIPALITY_OFFSET, batchId, query.municipalityCode()) ||
            refusedRate(session, reader, QUERY_MUNICIPALITY_OFFSET, batchId))
        {
            return;
        }
        final BatchAccount account = ledger == null ? null :
            ledger.find(io.chukei.protocol.codec.MunicipalityCodes.parse(session.municipality()), batchId);
        answer(session, batchId, account, Math.max(1, query.fromSequence()));
    }

    private void answer(final ConnectorSession session, final long batchId, final BatchAccount account,
        final long fromSequence)
    {
        session.write(Replies.current().batchStatusReply(session.channel().alloc(), batchId, nodeId, ErrorCode.NO_ERROR,
            FieldId.NONE, account == null ? null : account.snapshot(), fromSequence, ""));
    }

    private boolean refusedMunicipality(final ConnectorSession session, final MessageReader reader, final int offset,
        final long batchId, final String named)
    {
        if (session.mayActFor(reader.buffer(), offset))
        {
            return false;
        }
        // Refused whatever the batch id: the answer never depends on another municipality's batches.
        refuse(session, batchId, ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, FieldId.MUNICIPALITY_CODE, "municipalityCode: " +
            io.chukei.protocol.text.SafeText.of(named) + " (expected: " + session.municipality() +
            ", the municipality of the client certificate) (rule: MUNICIPALITY_NOT_AUTHORIZED)");
        return true;
    }

    private boolean refusedRate(final ConnectorSession session, final MessageReader reader, final int offset,
        final long batchId)
    {
        final Decision rate = queryLimiter.tryAcquire(reader.buffer(), offset);
        if (rate.admitted())
        {
            return false;
        }
        refuse(session, batchId, ErrorCode.RATE_LIMITED, FieldId.MUNICIPALITY_CODE, "municipalityCode: " +
            session.municipality() + " is over its StatusQuery rate, which batch messages share (expected: a query after " +
            rate.retryAfterMs() + " ms) (rule: RATE_LIMITED)");
        return true;
    }

    private void refuse(final ConnectorSession session, final long batchId, final ErrorCode code, final FieldId field,
        final String detail)
    {
        metrics.rejected(code);
        session.write(Replies.current().batchStatusReply(session.channel().alloc(), batchId, nodeId, code, field, null, 1,
            detail));
    }
}
