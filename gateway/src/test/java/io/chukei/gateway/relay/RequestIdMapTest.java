package io.chukei.gateway.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Values found by both halves of the id they carry, through growth and removals in the middle of probe runs. */
class RequestIdMapTest
{
    static final int SCOPE = 131016;

    private final RequestIdMap<Id> map = new RequestIdMap<>();

    @Test
    void aValueIsFoundByItsIdAndNotByAnIdSharingOneHalf()
    {
        final Id value = new Id(7, 9);
        assertThat(map.putIfAbsent(value)).isNull();

        assertThat(map.get(SCOPE, 7, 9)).isSameAs(value);
        assertThat(map.get(SCOPE, 7, 8)).isNull();
        assertThat(map.get(SCOPE, 6, 9)).isNull();
    }

    @Test
    void roomMadeAheadKeepsWhatIsMappedAndTakesTheExpectedValuesWithoutGrowingAgain()
    {
        final List<Id> before = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            before.add(new Id(i, -i));
            map.putIfAbsent(before.get(i));
        }

        map.ensureCapacity(10 + 5_000);
        final int capacity = map.capacity();
        for (int i = 0; i < 5_000; i++)
        {
            map.putIfAbsent(new Id(1_000 + i, i));
        }

        assertThat(map.capacity()).as("no growth while adding what was expected").isEqualTo(capacity);
        assertThat(capacity).isEqualTo(16_384);
        assertThat(before).allSatisfy(id -> assertThat(map.get(SCOPE, id.idHi(), id.idLo())).isSameAs(id));
        assertThat(map.get(SCOPE, 1_000 + 4_999, 4_999)).isNotNull();
        assertThat(map.size()).isEqualTo(5_010);
    }

    @Test
    void putIfAbsentKeepsTheFirstValueOfAnIdAndReturnsIt()
    {
        final Id first = new Id(1, 2);
        final Id second = new Id(1, 2);
        map.putIfAbsent(first);

        assertThat(map.putIfAbsent(second)).isSameAs(first);
        assertThat(map.get(SCOPE, 1, 2)).isSameAs(first);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void putReplacesTheValueOfTheSameIdAndReturnsTheOldOne()
    {
        final Id first = new Id(1, 2);
        final Id second = new Id(1, 2);
        map.put(first);

        assertThat(map.put(second)).isSameAs(first);
        assertThat(map.get(SCOPE, 1, 2)).isSameAs(second);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void removingAValueLeavesAnotherValueWithTheSameIdInPlace()
    {
        final Id mapped = new Id(3, 4);
        map.putIfAbsent(mapped);

        assertThat(map.remove(new Id(3, 4))).isFalse();
        assertThat(map.get(SCOPE, 3, 4)).isSameAs(mapped);
        assertThat(map.remove(mapped)).isTrue();
        assertThat(map.get(SCOPE, 3, 4)).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void valuesStayReachableWhileIdsComeAndGoInRandomOrder()
    {
        // A small map grows and keeps long probe runs; removals in the middle of runs shift later values back.
        final Map<Long, Id> expected = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200_000; round++)
        {
            // Few distinct ids, one hi for all: many land in the same runs.
            final long lo = random.nextInt(3_000);
            final Id present = expected.get(lo);
            if (present == null)
            {
                final Id value = new Id(5, lo);
                assertThat(map.putIfAbsent(value)).isNull();
                expected.put(lo, value);
            }
            else
            {
                assertThat(map.remove(SCOPE, 5, lo)).isSameAs(present);
                expected.remove(lo);
            }
        }

        assertThat(map.size()).isEqualTo(expected.size());
        for (long lo = 0; lo < 3_000; lo++)
        {
            assertThat(map.get(SCOPE, 5, lo)).isSameAs(expected.get(lo));
        }
        final List<Id> all = new ArrayList<>();
        map.forEach(all::add);
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    @Test
    void clearForgetsEveryValue()
    {
        for (int i = 0; i < 100; i++)
        {
            map.putIfAbsent(new Id(i, i));
        }

        map.clear();

        assertThat(map.size()).isZero();
        assertThat(map.get(SCOPE, 10, 10)).isNull();
    }

    @Test
    void oneIdInTwoScopesIsTwoKeys()
    {
        final Id mine = new Id(SCOPE, 7, 9);
        final Id theirs = new Id(11002, 7, 9);
        assertThat(map.putIfAbsent(mine)).isNull();
        assertThat(map.putIfAbsent(theirs)).isNull();

        assertThat(map.get(SCOPE, 7, 9)).isSameAs(mine);
        assertThat(map.get(11002, 7, 9)).isSameAs(theirs);
        assertThat(map.remove(11002, 7, 9)).isSameAs(theirs);
        assertThat(map.get(SCOPE, 7, 9)).isSameAs(mine);
        assertThat(map.get(11002, 7, 9)).isNull();
    }

    record Id(int idScope, long idHi, long idLo) implements HasRequestId
    {
        Id(final long idHi, final long idLo)
        {
            this(SCOPE, idHi, idLo);
        }

        @Override
        public boolean equals(final Object other)
        {
            // Identity, as the map compares values it removes: two values may carry the same id.
            return this == other;
        }

        @Override
        public int hashCode()
        {
            return System.identityHashCode(this);
        }
    }
}
