package io.chukei.bench.loadgen;

import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class OperationMixTest
{
    @Test
    void operationsGetTheirDefaultPriorityUnlessOneIsGiven()
    {
        final OperationMix mix = OperationMix.parse("CARD_STATUS=70, PREISSUE_SETUP=20, CARD_ISSUE:BATCH=10");

        assertThat(mix.entries()).containsExactly(
            new OperationMix.Entry(Operation.CARD_STATUS, Priority.INTERACTIVE, 70),
            new OperationMix.Entry(Operation.PREISSUE_SETUP, Priority.BATCH, 20),
            new OperationMix.Entry(Operation.CARD_ISSUE, Priority.BATCH, 10));
    }

    @Test
    void drawsFollowTheWeights()
    {
        final OperationMix mix = OperationMix.parse("CARD_STATUS=70,CARD_ISSUE=20,CERT_CHANGE=10");
        final SplittableRandom random = new SplittableRandom(3);
        final Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
        for (int i = 0; i < 100_000; i++)
        {
            counts.merge(mix.next(random).operation(), 1, Integer::sum);
        }

        assertThat(counts.get(Operation.CARD_STATUS) / 100_000.0).isCloseTo(0.70, offset(0.01));
        assertThat(counts.get(Operation.CARD_ISSUE) / 100_000.0).isCloseTo(0.20, offset(0.01));
        assertThat(counts.get(Operation.CERT_CHANGE) / 100_000.0).isCloseTo(0.10, offset(0.01));
    }

    @Test
    void preIssueSetupAtInteractivePriorityIsRefusedAsTheRelayWould()
    {
        assertThatThrownBy(() -> OperationMix.parse("PREISSUE_SETUP:INTERACTIVE=1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("mix: 'PREISSUE_SETUP:INTERACTIVE=1' (expected: PREISSUE_SETUP only at BATCH priority)");
    }

    @Test
    void anUnknownOperationNamesTheChoices()
    {
        assertThatThrownBy(() -> OperationMix.parse("CARD_LOOKUP=1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("operation 'CARD_LOOKUP'").hasMessageContaining("CARD_STATUS");
    }
}
