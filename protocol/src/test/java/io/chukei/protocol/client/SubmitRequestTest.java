package io.chukei.protocol.client;

import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmitRequestTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000L), ZoneOffset.UTC);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void preIssuanceSetupIsBatchWorkByDefault()
    {
        assertThat(SubmitRequest.builder(Operation.PREISSUE_SETUP).build().priority()).isEqualTo(Priority.BATCH);
    }

    @Test
    void everyOtherOperationIsInteractiveByDefault()
    {
        assertThat(SubmitRequest.builder(Operation.CARD_ISSUE).build().priority()).isEqualTo(Priority.INTERACTIVE);
        assertThat(SubmitRequest.builder(Operation.CARD_STATUS).build().priority()).isEqualTo(Priority.INTERACTIVE);
    }

    @Test
    void anExplicitPriorityWins()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.PREISSUE_SETUP).priority(Priority.INTERACTIVE).build();

        assertThat(request.priority()).isEqualTo(Priority.INTERACTIVE);
    }

    @Test
    void withoutADeadlineTheDefaultTimeoutCountsFromNow()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_STATUS).build();

        assertThat(request.deadlineEpochMs(CLOCK, DEFAULT_TIMEOUT)).isEqualTo(1_010_000L);
    }

    @Test
    void aTimeoutCountsFromNow()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_STATUS).timeout(Duration.ofMillis(250)).build();

        assertThat(request.deadlineEpochMs(CLOCK, DEFAULT_TIMEOUT)).isEqualTo(1_000_250L);
    }

    @Test
    void anAbsoluteDeadlineIsSentAsGiven()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_STATUS)
            .deadline(Instant.ofEpochMilli(5_000_000L)).build();

        assertThat(request.deadlineEpochMs(CLOCK, DEFAULT_TIMEOUT)).isEqualTo(5_000_000L);
    }

    @Test
    void anAllZeroRequestIdIsAProgrammingError()
    {
        assertThatThrownBy(() -> SubmitRequest.builder(Operation.CARD_STATUS).requestId(new UUID(0, 0)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("requestId: 00000000-0000-0000-0000-000000000000 (expected: not all zero)");
    }

    @Test
    void aBatchSequenceBeyondTheBatchSizeIsAProgrammingError()
    {
        assertThatThrownBy(() -> SubmitRequest.builder(Operation.PREISSUE_SETUP).batch(1, 11, 10))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("batchSequence: 11 (expected: 1..10)");
    }

    @Test
    void aNonPositiveTimeoutIsAProgrammingError()
    {
        assertThatThrownBy(() -> SubmitRequest.builder(Operation.CARD_STATUS).timeout(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("timeout: PT0S (expected: > 0)");
    }

    @Test
    void toStringKeepsPersonalDataOut()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_ISSUE)
            .personalNumber("123456789018").nameKanji("髙橋").build();

        assertThat(request.toString()).doesNotContain("123456789018").doesNotContain("髙橋");
    }
}
