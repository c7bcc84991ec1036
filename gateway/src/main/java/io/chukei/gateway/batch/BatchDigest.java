package io.chukei.gateway.batch;

import java.security.MessageDigest;

/**
 * The member digest of protocol/README.md (BatchDeclare): SHA-256 over the members' request ids in sequence order
 * 1..N, each as its 16 wire bytes (hi then lo, each 8 bytes little-endian, exactly as in Submit.requestId).
 */
public final class BatchDigest
{
    private BatchDigest()
    {
    }

    /** The digest of the ids {@code (hi[i], lo[i])} for i in 0..count-1 (sequence i + 1). */
    public static byte[] of(final long[] hi, final long[] lo, final int count)
    {
        final MessageDigest sha = BatchAccount.sha256();
        final byte[] id = new byte[16];
        for (int i = 0; i < count; i++)
        {
            putLongLe(id, 0, hi[i]);
            putLongLe(id, 8, lo[i]);
            sha.update(id);
        }
        return sha.digest();
    }

    private static void putLongLe(final byte[] target, final int at, final long value)
    {
        for (int b = 0; b < 8; b++)
        {
            target[at + b] = (byte)(value >>> (8 * b));
        }
    }
}
