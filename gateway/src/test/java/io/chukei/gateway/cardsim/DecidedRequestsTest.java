package io.chukei.gateway.cardsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecidedRequestsTest
{
    private static final Verdict FIRST = Verdict.CARD_NOT_FOUND_REFUSAL;

    @Test
    void aKeyIsFoundInWhicheverShardItWentToAfterItsTableGrew()
    {
        // 200,000 keys: each shard's table starts at 1,024 slots and doubles several times on the way.
        final DecidedRequests decided = new DecidedRequests();
        final SplittableRandom random = new SplittableRandom(7);
        final RequestKey[] keys = new RequestKey[200_000];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = new RequestKey("13" + (1000 + i % 50), new UUID(random.nextLong(), random.nextLong()));
            decided.put(keys[i], FIRST);
        }
        assertThat(decided.size()).isEqualTo(keys.length);
        for (final RequestKey key : keys)
        {
            assertThat(decided.get(new RequestKey(key.municipality(), key.requestId()))).isSameAs(FIRST);
        }
        assertThat(decided.get(new RequestKey("131000", new UUID(1, 2)))).isNull();
        // The same request id under another municipality is another request.
        assertThat(decided.get(new RequestKey("139999", keys[0].requestId()))).isNull();
        assertThat(decided.get(new RequestKey("131001", keys[0].requestId()))).isNull();
    }

    @Test
    void theSameRequestIdOfTwoMunicipalitiesHoldsTwoVerdicts()
    {
        final DecidedRequests decided = new DecidedRequests();
        final UUID id = new UUID(5, 6);
        decided.put(new RequestKey("131016", id), FIRST);
        decided.put(new RequestKey("271004", id), Verdict.MALFORMED_SUBMIT);
        assertThat(decided.get(new RequestKey("131016", id))).isSameAs(FIRST);
        assertThat(decided.get(new RequestKey("271004", id))).isSameAs(Verdict.MALFORMED_SUBMIT);
        assertThat(decided.size()).isEqualTo(2);
    }

    @Test
    void putIfAbsentKeepsTheFirstVerdictAndCountsOnce()
    {
        final DecidedRequests decided = new DecidedRequests();
        final RequestKey key = new RequestKey("131016", new UUID(3, 4));
        final Verdict refused = Verdict.MALFORMED_SUBMIT;
        assertThat(decided.putIfAbsent(key, FIRST)).isNull();
        assertThat(decided.putIfAbsent(key, refused)).isSameAs(FIRST);
        assertThat(decided.get(key)).isSameAs(FIRST);
        decided.put(key, refused);
        assertThat(decided.get(key)).isSameAs(refused);
        assertThat(decided.size()).isEqualTo(1);
    }

    @Test
    void keysSpreadOverEveryShard()
    {
        // Random request ids of a few municipalities, as relays send them: no shard may take the bulk, or its
        // doubling is the stall the split exists to avoid.
        final SplittableRandom random = new SplittableRandom(11);
        final DecidedRequests decided = new DecidedRequests();
        final int keys = 64_000;
        for (int i = 0; i < keys; i++)
        {
            decided.put(new RequestKey("13" + (1000 + i % 3), new UUID(random.nextLong(), random.nextLong())), FIRST);
        }
        final int[] perShard = decided.sizesByShard();
        assertThat(perShard).hasSize(DecidedRequests.SHARDS);
        final int mean = keys / DecidedRequests.SHARDS;
        for (final int count : perShard)
        {
            assertThat(count).isBetween(mean * 3 / 4, mean * 5 / 4);
        }
    }
}
