package io.chukei.protocol.client;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectorClient#batchStatusEverywhere} against two fake relays holding one half of a batch each: a node that
 * refuses for now (as a node rebuilding its batch accounts after a start does) is asked again, and a node that gives
 * no account by the deadline is named unanswered, never merged as an answer.
 */
@Tag("system")
@Timeout(30)
class BatchStatusEverywhereTest
{
    private static final long BATCH_ID = 77;
    private static final int SIZE = 10;

    private FakeRelay first;
    private FakeRelay second;
    private ConnectorClient client;

    @BeforeEach
    void twoRelaysWithHalfTheBatchEach()
    {
        first = new FakeRelay(1);
        second = new FakeRelay(2);
        holds(first, 1, 5);
        holds(second, 6, SIZE);
    }

    @AfterEach
    void close()
    {
        if (client != null)
        {
            client.close();
        }
        first.close();
        second.close();
    }

    @Test
    void aNodeRefusingOverloadedIsAskedAgainAndItsHalfCompletesTheBatch() throws Exception
    {
        first.batchRefusalsLeft.set(3);
        client = client(Duration.ofSeconds(10));

        final BatchStatus everywhere = client.batchStatusEverywhere(BATCH_ID).get(20, TimeUnit.SECONDS);

        assertThat(first.batchQueries).as("three refusals, then the answer").hasSize(4);
        assertThat(second.batchQueries).hasSize(1);
        assertThat(everywhere.complete()).as("%s", everywhere).isTrue();
        assertThat(everywhere.batchState()).isEqualTo(BatchState.COMPLETE);
        assertThat(everywhere.count(BatchMemberState.COMPLETED_OK)).isEqualTo(SIZE);
        assertThat(everywhere.nodeIds()).containsExactlyInAnyOrder(1, 2);
        assertThat(everywhere.unanswered()).isEmpty();
    }

    @Test
    void aNodeStillRefusingAtTheDeadlineIsUnansweredAndNotMerged() throws Exception
    {
        first.batchRefusalsLeft.set(Integer.MAX_VALUE);
        client = client(Duration.ofMillis(1500));

        final BatchStatus everywhere = client.batchStatusEverywhere(BATCH_ID).get(20, TimeUnit.SECONDS);

        assertThat(first.batchQueries.size()).as("asked again while it refused").isGreaterThan(1);
        assertThat(everywhere.code()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(everywhere.nodeIds()).as("only accounts are merged").containsExactly(2);
        assertThat(everywhere.unanswered()).containsExactly(first.viewAddress());
        assertThat(everywhere.complete()).isFalse();
        assertThat(everywhere.missing(SIZE)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aRefusalForGoodIsNotAskedAgainAndStillSaysWhyWhenNoNodeGaveAnAccount() throws Exception
    {
        for (final FakeRelay relay : List.of(first, second))
        {
            relay.batchRefusal = ErrorCode.MUNICIPALITY_NOT_AUTHORIZED;
            relay.batchRefusalsLeft.set(Integer.MAX_VALUE);
        }
        client = client(Duration.ofSeconds(10));

        final BatchStatus everywhere = client.batchStatusEverywhere(BATCH_ID).get(20, TimeUnit.SECONDS);

        assertThat(first.batchQueries).hasSize(1);
        assertThat(second.batchQueries).hasSize(1);
        assertThat(everywhere.code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
        assertThat(everywhere.unanswered()).containsExactlyInAnyOrder(first.viewAddress(), second.viewAddress());
        assertThat(everywhere.complete()).isFalse();
    }

    private static void holds(final FakeRelay relay, final int firstSequence, final int lastSequence)
    {
        relay.batchSize = SIZE;
        relay.batchCompletedFirst = firstSequence;
        relay.batchCompletedLast = lastSequence;
    }

    private ConnectorClient client(final Duration timeout)
    {
        return ConnectorClient.builder()
            .nodes(List.of(first.address(), second.address()))
            .plaintext()
            .municipalityCode("131016")
            .connectorName("batch-everywhere-test/1.0")
            .defaultTimeout(timeout)
            .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    }
}
