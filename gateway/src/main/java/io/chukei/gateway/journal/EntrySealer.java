package io.chukei.gateway.journal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Seals the personal part of a journal entry with AES-256-GCM (the JDK's provider) and opens it again.
 * A sealed block replaces that part in the entry:
 * <pre>
 *   +---------+--------------+----------------+--------------------------------------+
 *   | keyId   | iv           | sealedLength   | ciphertext of the clear layout, then |
 *   | i32     | 12 bytes     | i32            | the 16-byte GCM tag                  |
 *   +---------+--------------+----------------+--------------------------------------+
 * </pre>
 * The associated data is every byte of the entry before the block (header and clear fields), so a block cannot
 * be moved to another entry, and a clear field (status, deadline, request id) cannot be changed, without the
 * tag failing.
 * <p><b>IVs never repeat under one key.</b> An IV is a 4-byte salt drawn from {@link SecureRandom} when the
 * sealer is made (once per journal opening) followed by an 8-byte counter that starts at the wall clock in
 * nanoseconds since 1970 and adds one per sealed entry. Within a run the counter never repeats (64 bits). Across
 * restarts the next run's counter starts above every value an earlier run used, because an earlier run
 * advanced its counter by one per entry, far slower than the clock's 10<sup>9</sup> per second. Only a clock set
 * back between runs (or two processes sharing a key file) could bring counters into the same range, and then
 * the two runs' random salts would also have to be equal (1 in 2<sup>32</sup>).
 * <p>Each thread has its own {@link Cipher} and scratch buffers; a seal or open allocates only what
 * {@code Cipher.init} allocates inside the JDK (the parameter spec and the GCM state).
 */
final class EntrySealer
{
    static final int IV_LENGTH = 12;
    static final int TAG_BITS = 128;
    static final int TAG_LENGTH = TAG_BITS / 8;
    /** keyId, iv and sealedLength: the bytes of a sealed block before its ciphertext. */
    static final int BLOCK_HEADER_LENGTH = 4 + IV_LENGTH + 4;

    private final JournalKeys keys;
    private final int sealingKeyId;
    private final SecretKey sealingKey;
    private final int salt;
    private final AtomicLong counter;
    private final ThreadLocal<Context> contexts = ThreadLocal.withInitial(Context::new);

    EntrySealer(final JournalKeys keys)
    {
        this(keys, new SecureRandom().nextInt(), System.currentTimeMillis() * 1_000_000L);
    }

    /** With a chosen salt and first counter value: for tests that pin the IV. */
    EntrySealer(final JournalKeys keys, final int salt, final long firstCounter)
    {
        this.keys = keys;
        this.sealingKeyId = keys.newestId();
        this.sealingKey = keys.key(sealingKeyId);
        this.salt = salt;
        this.counter = new AtomicLong(firstCounter);
    }

    JournalKeys keys()
    {
        return keys;
    }

    int sealingKeyId()
    {
        return sealingKeyId;
    }

    boolean holds(final int keyId)
    {
        return keys.key(keyId) != null;
    }

    /**
     * This thread's scratch space with an empty clear part and plaintext: write the entry's clear fields to
     * {@link Context#clearPart()}, put the personal fields with the {@code put} methods, then {@link #seal}.
     */
    Context begin()
    {
        final Context context = contexts.get();
        context.plainLength = 0;
        context.clearPart.clear();
        return context;
    }

    /**
     * Writes the context's clear part (see {@link Context#clearPart()}) and then a sealed block of its plaintext at
     * the write position of {@code bytes}; the clear part is the associated data.
     * <p>The clear part is written from this thread's scratch rather than read back from {@code bytes} after being
     * written there: an entry may straddle two of the queue's mapped chunks, and once a write has moved
     * {@code bytes} onto the next chunk's mapping, an absolute read of the entry's start addresses memory in front
     * of that mapping (a JVM crash, found after ~270 MB of journal; {@code SealedChunkBoundaryTest}).
     */
    void seal(final Bytes<?> bytes, final Context context)
    {
        final long iv = counter.getAndIncrement();
        final byte[] ivBytes = context.iv;
        putIntBigEndian(ivBytes, 0, salt);
        for (int i = 0; i < 8; i++)
        {
            ivBytes[4 + i] = (byte)(iv >>> (56 - 8 * i));
        }
        final int aadLength = (int)context.clearPart.writePosition();
        final byte[] aad = context.clearPart.underlyingObject();
        final byte[] sealed = context.sealed(context.plainLength + TAG_LENGTH);
        final int sealedLength;
        try
        {
            final Cipher cipher = context.cipher;
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, ivBytes));
            cipher.updateAAD(aad, 0, aadLength);
            sealedLength = cipher.doFinal(context.plain.byteArray(), 0, context.plainLength, sealed, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            // A JDK without AES-GCM, or a bad key in the ring: the append fails and says why.
            throw new IllegalStateException("Sealing a journal entry with key id " + sealingKeyId + " failed", ex);
        }
        bytes.write(aad, 0, aadLength);
        bytes.writeInt(sealingKeyId);
        bytes.write(ivBytes);
        bytes.writeInt(sealedLength);
        bytes.write(sealed, 0, sealedLength);
    }

    /**
     * Opens the sealed block at {@code blockAt} of the entry that begins at {@code entryStart} into the context's
     * plaintext (from offset 0 of {@link Context#plain()}); returns the plaintext length.
     *
     * @throws SealedEntryException when the key is not in the ring or the block fails authentication.
     */
    int open(final Bytes<?> bytes, final long entryStart, final long blockAt, final long index, final Context context)
    {
        final int keyId = bytes.readInt(blockAt);
        final SecretKey key = keys.key(keyId);
        if (key == null)
        {
            throw new SealedEntryException("journal entry at index " + index + " is sealed with key id " + keyId +
                ", which " + keys.file() + " does not hold (it holds ids " + keys.ids() + ")", null);
        }
        bytes.read(blockAt + 4, context.iv, 0, IV_LENGTH);
        final int sealedLength = bytes.readInt(blockAt + 4 + IV_LENGTH);
        if (sealedLength < TAG_LENGTH || blockAt + BLOCK_HEADER_LENGTH + sealedLength > bytes.readLimit())
        {
            throw new SealedEntryException("journal entry at index " + index + " has a sealed block of " + sealedLength +
                " bytes that does not fit the entry (expected: " + TAG_LENGTH + " or more, within the entry)", null);
        }
        final int aadLength = (int)(blockAt - entryStart);
        final byte[] aad = context.aad(aadLength);
        bytes.read(entryStart, aad, 0, aadLength);
        final byte[] sealed = context.sealed(sealedLength);
        bytes.read(blockAt + BLOCK_HEADER_LENGTH, sealed, 0, sealedLength);
        context.plain.checkLimit(sealedLength);
        try
        {
            final Cipher cipher = context.cipher;
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, context.iv));
            cipher.updateAAD(aad, 0, aadLength);
            context.plainLength = cipher.doFinal(sealed, 0, sealedLength, context.plain.byteArray(), 0);
            return context.plainLength;
        }
        catch (final AEADBadTagException ex)
        {
            throw new SealedEntryException("journal entry at index " + index + " failed authentication under key id " +
                keyId + " (its bytes were changed, or " + keys.file() + " holds a different key under that id)", ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new SealedEntryException("journal entry at index " + index + " could not be opened with key id " +
                keyId + ": " + ex.getMessage(), ex);
        }
    }

    private static void putIntBigEndian(final byte[] target, final int at, final int value)
    {
        target[at] = (byte)(value >>> 24);
        target[at + 1] = (byte)(value >>> 16);
        target[at + 2] = (byte)(value >>> 8);
        target[at + 3] = (byte)value;
    }

    /** One thread's cipher and scratch buffers, reused for every entry that thread seals or opens. */
    static final class Context
    {
        private final Cipher cipher;
        private final byte[] iv = new byte[IV_LENGTH];
        private final ExpandableArrayBuffer plain = new ExpandableArrayBuffer(512);
        private int plainLength;
        private byte[] aad = new byte[128];
        private byte[] sealed = new byte[512];
        /** The clear part of an entry being sealed: written here, then to the journal, and authenticated as AAD. */
        private final Bytes<byte[]> clearPart = Bytes.allocateElasticOnHeap(256);
        /** An opened entry rebuilt in the clear layout, for readers (see {@link SealedEntries}). */
        final Bytes<byte[]> clearEntry = Bytes.allocateElasticOnHeap(512);

        private Context()
        {
            try
            {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", ex);
            }
        }

        /** Where a writer puts the entry's clear fields (header first) before {@link #seal} writes them. */
        Bytes<?> clearPart()
        {
            return clearPart;
        }

        /** The plaintext: sealed by {@link #seal}, or what {@link #open} opened, from offset 0. */
        ExpandableArrayBuffer plain()
        {
            return plain;
        }

        int plainLength()
        {
            return plainLength;
        }

        Context putInt(final int value)
        {
            plain.putInt(plainLength, value, java.nio.ByteOrder.LITTLE_ENDIAN);
            plainLength += 4;
            return this;
        }

        Context put(final DirectBuffer source, final int offset, final int length)
        {
            plain.putBytes(plainLength, source, offset, length);
            plainLength += length;
            return this;
        }

        /** Length, then the bytes: the clear layout's variable-length fields. */
        Context putField(final DirectBuffer source, final int offset, final int length)
        {
            putInt(length);
            return length == 0 ? this : put(source, offset, length);
        }

        private byte[] aad(final int length)
        {
            if (aad.length < length)
            {
                aad = new byte[BitUtil.findNextPositivePowerOfTwo(length)];
            }
            return aad;
        }

        private byte[] sealed(final int length)
        {
            if (sealed.length < length)
            {
                sealed = new byte[BitUtil.findNextPositivePowerOfTwo(length)];
            }
            return sealed;
        }
    }
}
