package io.chukei.gateway.cardsim;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's business rules, without sockets. */
class CardVerdictTest
{
    private final MessageReader reader = new MessageReader();

    @Test
    void statusQueryForACardEndingInFourZerosIsRefusedNotFound()
    {
        final Verdict verdict = judge(Operation.CARD_STATUS, "123456780000");

        assertThat(verdict.status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(verdict.upstreamCode()).isEqualTo(404);
        assertThat(verdict.detail()).isEqualTo("card not found");
    }

    @Test
    void suspensionOfACardEndingInFourZerosIsRefusedNotFound()
    {
        assertThat(judge(Operation.CARD_SUSPEND, "000000000000").status()).isEqualTo(OutcomeStatus.REFUSED);
    }

    @Test
    void issuanceIsNotSubjectToTheCardRule()
    {
        final Verdict verdict = judge(Operation.CARD_ISSUE, "123456780000");

        assertThat(verdict.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(verdict.upstreamCode()).isZero();
    }

    @Test
    void aSubmitThatIsNotAnSbeSubmitIsRefusedAsBadRequest()
    {
        final Verdict verdict = Verdict.judge(Operation.CARD_ISSUE.value(), reader, new UnsafeBuffer(new byte[] {1, 2, 3}));

        assertThat(verdict.status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(verdict.upstreamCode()).isEqualTo(400);
    }

    @Test
    void anUnknownOperationIsRefusedAsBadRequest()
    {
        final byte[] submit = UpstreamTestClient.submitBytes(UUID.randomUUID(), "131016", Operation.CARD_ISSUE, "1");

        final Verdict verdict = Verdict.judge((short)9, reader, new UnsafeBuffer(submit));

        assertThat(verdict.detail()).isEqualTo("unknown operation");
    }

    @Test
    void aStoredVerdictIsRebuiltFromStatusAndCode()
    {
        assertThat(Verdict.stored(Operation.CARD_STATUS.value(), OutcomeStatus.REFUSED, 404))
            .isSameAs(judge(Operation.CARD_STATUS, "123456780000"));
        assertThat(Verdict.stored(Operation.CARD_STATUS.value(), OutcomeStatus.OK, 0))
            .isSameAs(judge(Operation.CARD_STATUS, "123456789012"));
        assertThat(Verdict.stored(Operation.CARD_STATUS.value(), OutcomeStatus.TRANSIENT_FAILURE, 503)).isNull();
    }

    private Verdict judge(final Operation operation, final String cardId)
    {
        final byte[] submit = UpstreamTestClient.submitBytes(UUID.randomUUID(), "131016", operation, cardId);
        return Verdict.judge(operation.value(), reader, new UnsafeBuffer(submit));
    }
}
