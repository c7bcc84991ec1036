package io.chukei.protocol.batch;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.DigestCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge of several nodes' member states: order-free, idempotent, and never "more final" than its parts. */
class MemberStatesProperties
{
    private static final byte NEVER_SEEN = (byte)BatchMemberState.NEVER_SEEN.value();
    private static final byte REJECTED = (byte)BatchMemberState.REJECTED.value();
    private static final byte ACCEPTED = (byte)BatchMemberState.ACCEPTED.value();
    private static final byte OUTCOME_UNKNOWN = (byte)BatchMemberState.OUTCOME_UNKNOWN.value();
    private static final byte COMPLETED_OK = (byte)BatchMemberState.COMPLETED_OK.value();

    @Property
    void theOrderOfTheNodesDoesNotMatter(@ForAll("states") final byte[] a, @ForAll("states") final byte[] b)
    {
        assertThat(merged(a, b)).isEqualTo(merged(b, a));
    }

    @Property
    void mergingANodeTwiceChangesNothing(@ForAll("states") final byte[] a, @ForAll("states") final byte[] b)
    {
        assertThat(merged(merged(a, b), b)).isEqualTo(merged(a, b));
    }

    @Property
    void everyMergedStateIsOneOfTheParts(@ForAll("states") final byte[] a, @ForAll("states") final byte[] b)
    {
        final byte[] merged = merged(a, b);
        for (int i = 0; i < merged.length; i++)
        {
            assertThat(merged[i]).isIn(a[i], b[i]);
        }
    }

    @Example
    void cardManagementsVerdictWinsAndAnOpenMemberOutranksARejection()
    {
        assertThat(merged(new byte[] {REJECTED, OUTCOME_UNKNOWN, NEVER_SEEN, ACCEPTED},
            new byte[] {COMPLETED_OK, COMPLETED_OK, REJECTED, REJECTED}))
            .containsExactly(COMPLETED_OK, COMPLETED_OK, REJECTED, ACCEPTED);
    }

    @Example
    void aMismatchedDigestAnywhereIsAMismatch()
    {
        assertThat(MemberStates.mergeDigest(DigestCheck.MATCH, DigestCheck.MISMATCH)).isEqualTo(DigestCheck.MISMATCH);
        assertThat(MemberStates.mergeDigest(DigestCheck.MISMATCH, DigestCheck.NOT_CHECKED)).isEqualTo(DigestCheck.MISMATCH);
        assertThat(MemberStates.mergeDigest(DigestCheck.NOT_CHECKED, DigestCheck.MATCH)).isEqualTo(DigestCheck.MATCH);
        assertThat(MemberStates.mergeDigest(DigestCheck.NOT_CHECKED, DigestCheck.NOT_CHECKED)).isEqualTo(DigestCheck.NOT_CHECKED);
    }

    @Provide
    Arbitrary<byte[]> states()
    {
        return Arbitraries.of(NEVER_SEEN, REJECTED, ACCEPTED, OUTCOME_UNKNOWN, COMPLETED_OK,
            (byte)BatchMemberState.COMPLETED_REFUSED.value()).array(byte[].class).ofSize(16);
    }

    private static byte[] merged(final byte[] a, final byte[] b)
    {
        final byte[] merged = Arrays.copyOf(a, a.length);
        MemberStates.mergeInto(merged, b);
        return merged;
    }
}
