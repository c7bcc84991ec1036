package io.chukei.protocol.client;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's side of batch manifests: the member digest as the spec defines it, and the merge of nodes' answers. */
class BatchStatusTest
{
    private static final byte OK = (byte)BatchMemberState.COMPLETED_OK.value();
    private static final byte NEVER = (byte)BatchMemberState.NEVER_SEEN.value();
    private static final byte ACCEPTED = (byte)BatchMemberState.ACCEPTED.value();
    private static final byte REJECTED = (byte)BatchMemberState.REJECTED.value();

    @Test
    void theMemberDigestIsTheOneOfTheBatchDeclareVector()
    {
        final List<UUID> ids = new ArrayList<>();
        for (int sequence = 1; sequence <= 10; sequence++)
        {
            ids.add(new UUID(0x0190c6a852e57000L, 0x8000_0000_0000_0000L | sequence));
        }

        // protocol/spec/vectors/vectors.txt, batch-declare: the 32 bytes after batchSize.
        assertThat(HexFormat.of().formatHex(BatchManifest.of(7, ids).memberDigest()))
            .isEqualTo("b75b2c0857e9ae01334924ada9525e1a92ba31e7eadc6efc9a668c0044d57382");
    }

    @Test
    void twoNodesPartsMergeIntoOneCompleteBatch()
    {
        final BatchStatus node1 = answer(1, OK, OK, REJECTED, NEVER);
        final BatchStatus node2 = answer(2, NEVER, NEVER, OK, OK);

        final BatchStatus merged = BatchStatus.merge(7, List.of(node1, node2), List.of());

        assertThat(merged.complete()).isTrue();
        assertThat(merged.batchState()).isEqualTo(BatchState.COMPLETE);
        assertThat(merged.count(BatchMemberState.COMPLETED_OK)).isEqualTo(4);
        assertThat(merged.nodeIds()).containsExactly(1, 2);
    }

    @Test
    void aSequenceNoNodeSawIsMissingAndAnOpenOneKeepsItIncomplete()
    {
        final BatchStatus node1 = answer(1, OK, NEVER, ACCEPTED);
        final BatchStatus node2 = answer(2, OK, NEVER, REJECTED);

        final BatchStatus merged = BatchStatus.merge(7, List.of(node1, node2), List.of("relay3:7400"));

        assertThat(merged.complete()).isFalse();
        assertThat(merged.missing(10)).containsExactly(2L);
        assertThat(merged.count(BatchMemberState.ACCEPTED)).isEqualTo(1);
        assertThat(merged.unanswered()).containsExactly("relay3:7400");
    }

    private static BatchStatus answer(final int nodeId, final byte... states)
    {
        return new BatchStatus(7, List.of(nodeId), ErrorCode.NO_ERROR, FieldId.NONE, "", BatchState.OPEN, states.length,
            states, DigestCheck.NOT_CHECKED, 0, List.of());
    }
}
