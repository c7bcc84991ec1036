package io.chukei.gateway.reconcile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;

/** A node's journal written through the Journal API at a set time: what a node would have journaled. */
final class TestJournal implements AutoCloseable
{
    static final long NO_BATCH = SubmitEncoder.batchIdNullValue();
    static final byte OK = 1;
    static final byte REFUSED = 2;

    private final Journal journal;
    private final SetTimeProvider clock;
    private final int nodeId;
    private final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);

    /** With {@code keyFile} non-null the journal seals its entries, as a node with journal.keyFile does. */
    TestJournal(final Path directory, final int nodeId, final Instant at, final Path keyFile) throws Exception
    {
        this.clock = new SetTimeProvider(at);
        this.nodeId = nodeId;
        final JournalConfig.Builder config = JournalConfig.builder().directory(directory).nodeId(nodeId).timeProvider(clock);
        if (keyFile != null)
        {
            config.keys(JournalKeys.loadOrCreate(keyFile));
        }
        this.journal = Journal.open(config.build());
    }

    TestJournal at(final Instant when)
    {
        clock.currentTimeNanos(when.getEpochSecond() * 1_000_000_000L + when.getNano());
        return this;
    }

    /** A batch manifest (BatchDeclare), journaled as the node does: not a request, reconcile must pass over it. */
    TestJournal declare(final String municipality, final long batchId, final int size)
    {
        journal.appendBatchDeclared(io.chukei.protocol.codec.MunicipalityCodes.parse(municipality), batchId, size,
            new byte[32]);
        return this;
    }

    TestJournal accept(final String municipality, final UUID id)
    {
        return accept(municipality, id, NO_BATCH, 0, 0);
    }

    TestJournal accept(final String municipality, final UUID id, final long batchId, final long sequence, final long size)
    {
        final int length = encode(municipality, id, batchId, sequence, size);
        journal.appendAccepted(id.getMostSignificantBits(), id.getLeastSignificantBits(), nodeId, 1L,
            new UnsafeBuffer(municipality.getBytes(StandardCharsets.US_ASCII)), 0, (byte)1, 1_800_000_000_000L, 1L, submit, 0,
            length);
        return this;
    }

    TestJournal forward(final String municipality, final UUID id)
    {
        journal.appendForwarded(Integer.parseInt(municipality), id.getMostSignificantBits(), id.getLeastSignificantBits(), 0, 1,
            false);
        return this;
    }

    TestJournal complete(final String municipality, final UUID id, final byte status)
    {
        journal.appendCompleted(Integer.parseInt(municipality), id.getMostSignificantBits(), id.getLeastSignificantBits(),
            status, 0, false, empty, 0, 0, empty, 0, 0);
        return this;
    }

    TestJournal rejectAfterAcceptance(final String municipality, final UUID id, final int errorCode)
    {
        journal.appendRejected(Integer.parseInt(municipality), id.getMostSignificantBits(), id.getLeastSignificantBits(),
            errorCode, 0, -1, true, empty, 0, 0);
        return this;
    }

    TestJournal refuseAtAdmission(final String municipality, final UUID id, final int errorCode)
    {
        journal.appendRejected(Integer.parseInt(municipality), id.getMostSignificantBits(), id.getLeastSignificantBits(),
            errorCode, 0, 100, false, empty, 0, 0);
        return this;
    }

    TestJournal outcomeUnknown(final String municipality, final UUID id)
    {
        journal.appendOutcomeUnknown(Integer.parseInt(municipality), id.getMostSignificantBits(), id.getLeastSignificantBits(),
            1, 1_800_000_000_000L);
        return this;
    }

    /** A complete story: accepted, forwarded, answered OK. */
    TestJournal answered(final String municipality, final UUID id)
    {
        return accept(municipality, id).forward(municipality, id).complete(municipality, id, OK);
    }

    private int encode(final String municipality, final UUID id, final long batchId, final long sequence, final long size)
    {
        final SubmitEncoder encoder = new SubmitEncoder();
        encoder.wrapAndApplyHeader(submit, 0, new MessageHeaderEncoder());
        encoder.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
        encoder.municipalityCode(municipality)
            .operation(Operation.CARD_ISSUE)
            .priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(1_800_000_000_000L)
            .batchId(batchId)
            .batchSequence(batchId == NO_BATCH ? SubmitEncoder.batchSequenceNullValue() : sequence)
            .batchSize(batchId == NO_BATCH ? SubmitEncoder.batchSizeNullValue() : size)
            .personalNumber("123456789018")
            .residentCode("00000000000")
            .dateOfBirth("19800101");
        encoder.nameKanji("山田　太郎").nameKana("ヤマダ　タロウ").address("東京都千代田区").cardId("C1").applicationId("A1");
        encoder.putPinBlock(new byte[16], 0, 16);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Override
    public void close()
    {
        journal.close();
    }
}
