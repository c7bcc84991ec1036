package io.chukei.protocol.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A batch's manifest, as {@code BatchDeclare} carries it (protocol/README.md §4, *Batch manifests*): the batch id its
 * members carry, their number, and the SHA-256 over their request ids in sequence order ({@link #digestOf}), or
 * all zero when the connector does not fix the ids in advance.
 */
public record BatchManifest(long batchId, int size, byte[] memberDigest)
{
    public static final int DIGEST_LENGTH = 32;

    public BatchManifest
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
        }
        Objects.requireNonNull(memberDigest, "memberDigest");
        if (memberDigest.length != DIGEST_LENGTH)
        {
            throw new IllegalArgumentException("memberDigest: " + memberDigest.length + " bytes (expected: 32)");
        }
        memberDigest = memberDigest.clone();
    }

    /** A manifest whose digest covers {@code memberIds}, the request ids of sequences 1..N in order. */
    public static BatchManifest of(final long batchId, final List<UUID> memberIds)
    {
        return new BatchManifest(batchId, memberIds.size(), digestOf(memberIds));
    }

    /** A manifest without a digest: members are counted, not checked against ids fixed in advance. */
    public static BatchManifest withoutDigest(final long batchId, final int size)
    {
        return new BatchManifest(batchId, size, new byte[DIGEST_LENGTH]);
    }

    /** SHA-256 over each id's 16 wire bytes (hi, then lo, each little-endian: exactly Submit.requestId's bytes). */
    public static byte[] digestOf(final List<UUID> memberIds)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final ByteBuffer id = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (final UUID member : memberIds)
            {
                id.clear();
                id.putLong(member.getMostSignificantBits()).putLong(member.getLeastSignificantBits());
                sha.update(id.array());
            }
            return sha.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    @Override
    public byte[] memberDigest()
    {
        return memberDigest.clone();
    }
}
