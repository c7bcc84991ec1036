package io.chukei.bench.loadgen;

import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests built once per kind and pool pick and sent again; batch members built each time, numbered per municipality. */
class RequestFactoryTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final OperationMix.Entry STATUS = new OperationMix.Entry(Operation.CARD_STATUS, Priority.INTERACTIVE, 1);
    private static final OperationMix.Entry SETUP = new OperationMix.Entry(Operation.PREISSUE_SETUP, Priority.BATCH, 1);

    @Test
    void requestsOfOneKindAreTakenFromAPoolOfBuiltOnes()
    {
        final RequestFactory factory = new RequestFactory(1, TIMEOUT, 1, 0, 1);
        final Set<SubmitRequest> distinct = Collections.newSetFromMap(new IdentityHashMap<>());

        IntStream.range(0, 20_000).forEach(i -> distinct.add(factory.create(STATUS, 0)));

        assertThat(distinct).hasSizeLessThanOrEqualTo(4096).hasSizeGreaterThan(1000)
            .allSatisfy(request ->
            {
                assertThat(request.requestId()).as("the SDK assigns each send its own id").isNull();
                assertThat(request.operation()).isEqualTo(Operation.CARD_STATUS);
                assertThat(request.cardId()).hasSize(12);
                assertThat(request.inBatch()).isFalse();
            });
    }

    @Test
    void batchMembersAreBuiltEachTimeAndNumberedPerMunicipality()
    {
        final RequestFactory factory = new RequestFactory(1, TIMEOUT, 2, 2, 100);

        final SubmitRequest first = factory.create(SETUP, 0);
        final SubmitRequest otherMunicipality = factory.create(SETUP, 1);
        final SubmitRequest second = factory.create(SETUP, 0);
        final SubmitRequest third = factory.create(SETUP, 0);

        assertThat(first.batchId()).isEqualTo(second.batchId()).isNotEqualTo(otherMunicipality.batchId());
        assertThat(first.batchSequence()).isEqualTo(1);
        assertThat(second.batchSequence()).isEqualTo(2);
        assertThat(third.batchSequence()).isEqualTo(1);
        assertThat(third.batchId()).isNotEqualTo(first.batchId());
    }
}
