package io.chukei.gateway.journal;

import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Where the sealed block of a version-2 entry is (layouts in {@link JournalCodec}), and the clear view readers
 * use: a sealed entry opened and rebuilt in the version-1 layout, so every reader of entries reads one layout.
 */
final class SealedEntries
{
    /**
     * The Submit bytes kept in clear: the SBE header and every field before {@code personalNumber}. Offsets of
     * existing fields never move (the schema only appends), so this holds for every schema version.
     */
    static final int SUBMIT_CLEAR_PREFIX = MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.personalNumberEncodingOffset();

    /** Null when the journal has no key ring: sealed entries then cannot be opened. */
    private final EntrySealer sealer;

    SealedEntries(final EntrySealer sealer)
    {
        this.sealer = sealer;
    }

    /** How many of a Submit's {@code length} bytes stay in clear. */
    static int clearPrefixOf(final int length)
    {
        return Math.min(length, SUBMIT_CLEAR_PREFIX);
    }

    /** True for a version-2 ACCEPTED, COMPLETED or REJECTED entry, the only ones with a sealed block. */
    static boolean isSealed(final Bytes<?> bytes, final long base)
    {
        if (JournalCodec.version(bytes, base) < JournalCodec.SEALED_VERSION)
        {
            return false;
        }
        final byte code = bytes.readByte(base + JournalCodec.TYPE_OFFSET);
        return code == JournalEventType.ACCEPTED.code() || code == JournalEventType.COMPLETED.code() ||
            code == JournalEventType.REJECTED.code();
    }

    /** Absolute position of the sealed block of a sealed entry starting at {@code base}. */
    static long blockAt(final Bytes<?> bytes, final long base)
    {
        final byte code = bytes.readByte(base + JournalCodec.TYPE_OFFSET);
        if (code == JournalEventType.ACCEPTED.code())
        {
            return base + JournalCodec.SEALED_ACCEPTED_CLEAR + bytes.readInt(base + JournalCodec.SEALED_ACCEPTED_CLEAR_LENGTH);
        }
        return base + (code == JournalEventType.COMPLETED.code() ?
            JournalCodec.SEALED_COMPLETED_SCOPE : JournalCodec.SEALED_REJECTED_SCOPE) + 4;
    }

    /** The id of the key that sealed the entry starting at {@code base} (a sealed entry). */
    static int keyIdOf(final Bytes<?> bytes, final long base)
    {
        return bytes.readInt(blockAt(bytes, base));
    }

    /**
     * The entry at the read position of {@code bytes} as a clear, version-1 entry: {@code bytes} itself when it is
     * not sealed; else this thread's scratch with the entry opened and rebuilt, read position 0. Valid until this
     * thread's next call.
     *
     * @throws SealedEntryException when the entry is sealed and cannot be opened.
     */
    Bytes<?> clearView(final Bytes<?> bytes, final long index)
    {
        final long base = bytes.readPosition();
        if (!isSealed(bytes, base))
        {
            return bytes;
        }
        final long blockAt = blockAt(bytes, base);
        if (sealer == null)
        {
            throw new SealedEntryException("journal entry at index " + index + " is sealed with key id " +
                bytes.readInt(blockAt) + ", and the journal was opened without a key file (expected: journal.keyFile, " +
                "or --key-file for the command line)", null);
        }
        final EntrySealer.Context context = sealer.begin();
        final int plainLength = sealer.open(bytes, base, blockAt, index, context);
        final Bytes<byte[]> clear = context.clearEntry;
        clear.clear();
        final byte code = bytes.readByte(base + JournalCodec.TYPE_OFFSET);
        if (code == JournalEventType.ACCEPTED.code())
        {
            // Header, fixed fields and submitLength as stored; then the whole Submit: clear prefix + opened rest.
            clear.write(bytes, base, JournalCodec.ACCEPTED_SUBMIT);
            clear.write(bytes, base + JournalCodec.SEALED_ACCEPTED_CLEAR,
                bytes.readInt(base + JournalCodec.SEALED_ACCEPTED_CLEAR_LENGTH));
            clear.write(context.plain().byteArray(), 0, plainLength);
        }
        else
        {
            final int scopeAt = code == JournalEventType.COMPLETED.code() ?
                JournalCodec.SEALED_COMPLETED_SCOPE : JournalCodec.SEALED_REJECTED_SCOPE;
            clear.write(bytes, base, scopeAt);
            clear.write(context.plain().byteArray(), 0, plainLength);
            clear.writeInt(bytes.readInt(base + scopeAt));
        }
        clear.writeByte(JournalCodec.VERSION_OFFSET, JournalCodec.VERSION);
        return clear;
    }
}
