package io.chukei.protocol.validation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceSetTest
{
    @Test
    void findsWhatWasAddedInAnyOrderOnce()
    {
        final SequenceSet set = new SequenceSet.Builder()
            .add(0x20BB7, 0xE0100)
            .add(0x845B, 0xE0101)
            .add(0x845B, 0xE0100)
            .add(0x845B, 0xE0101)
            .build();

        assertThat(set.size()).isEqualTo(3);
        assertThat(set.contains(0x845B, 0xE0100)).isTrue();
        assertThat(set.contains(0x20BB7, 0xE0100)).isTrue();
        assertThat(set.contains(0x845B, 0xE0102)).isFalse();
        assertThat(set.contains(0xE0100, 0x845B)).isFalse();
        assertThat(set.first(0)).isEqualTo(0x845B);
        assertThat(set.second(0)).isEqualTo(0xE0100);
    }

    @Test
    void secondsAfterListsOneBaseAscending()
    {
        final SequenceSet set = new SequenceSet.Builder()
            .add(0x845B, 0xE0102)
            .add(0x845A, 0xE0100)
            .add(0x845B, 0xE0100)
            .add(0x845C, 0xE0100)
            .build();

        assertThat(set.secondsAfter(0x845B)).containsExactly(0xE0100, 0xE0102);
        assertThat(set.secondsAfter(0x9AD9)).isEmpty();
        assertThat(SequenceSet.EMPTY.secondsAfter(0x845B)).isEmpty();
    }

    @Test
    void keepsOnlySequencesWhoseSecondIsNoMember()
    {
        final CodePointSet members = new CodePointSet();
        members.add(0x02E5);
        members.add(0x02E9);
        final SequenceSet jis = new SequenceSet.Builder().add(0x02E5, 0x02E9).add(0x304B, 0x309A).build();

        final SequenceSet needed = new SequenceSet.Builder().addNeeded(jis, members).build();

        assertThat(needed.size()).isEqualTo(1);
        assertThat(needed.contains(0x304B, 0x309A)).isTrue();
    }
}
