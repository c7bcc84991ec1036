package io.chukei.gateway.journal;

import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The CRC32C that ends every journal entry written with {@link JournalCodec#CHECKSUMMED} in its version byte: a byte
 * changed anywhere in an entry (a clear field too, which Chronicle's framing and the AES-GCM tag of the sealed part
 * do not cover) is found when the entry is replayed at start-up or read by {@code chukei journal verify}.
 * <p>An entry is composed in a per-thread scratch first ({@link #begin}), then copied into the queue's document with
 * its checksum ({@link #finish}): the checksum is never computed by reading the mapped file back where it was just
 * written, which crashed the JVM when the write had moved onto the next chunk's mapping ({@code
 * SealedChunkBoundaryTest}). Nothing is allocated per entry once the scratch fits.
 */
final class EntryChecksum
{
    static final int LENGTH = 4;
    private static final ThreadLocal<EntryChecksum> PER_THREAD = ThreadLocal.withInitial(EntryChecksum::new);

    private final CRC32C crc = new CRC32C();
    private final Bytes<byte[]> entry = Bytes.allocateElasticOnHeap(1024);
    private byte[] scratch = new byte[1024];

    private EntryChecksum()
    {
    }

    /** This thread's entry scratch, empty: write the entry into it, then {@link #finish} it into the document. */
    static Bytes<?> begin()
    {
        final Bytes<?> entry = PER_THREAD.get().entry;
        entry.clear();
        return entry;
    }

    /** Copies the entry composed in {@code entry} (from {@link #begin}) into {@code document}, then its checksum. */
    static void finish(final Bytes<?> entry, final Bytes<?> document)
    {
        final EntryChecksum self = PER_THREAD.get();
        if (entry != self.entry)
        {
            throw new IllegalArgumentException("not this thread's entry scratch (EntryChecksum.begin)");
        }
        final int length = Math.toIntExact(entry.writePosition());
        // The heap array behind the scratch (as EntrySealer uses its clear part's): no copy before the CRC.
        final byte[] bytes = self.entry.underlyingObject();
        document.write(bytes, 0, length);
        document.writeInt(self.crcOf(bytes, length));
    }

    /**
     * Whether the entry at {@code base} of a document being read carries a checksum that does not match: a changed
     * byte. Entries written before checksums (no {@link JournalCodec#CHECKSUMMED} flag) are never damaged by this test.
     */
    static boolean damaged(final Bytes<?> bytes, final long base)
    {
        return JournalCodec.checksummed(bytes, base) && !matches(bytes, base, bytes.readLimit());
    }

    /** Whether the entry at {@code [base, limit)} of a document being read ends with the checksum of what precedes it. */
    static boolean matches(final Bytes<?> bytes, final long base, final long limit)
    {
        if (limit - base < JournalCodec.HEADER_LENGTH + LENGTH)
        {
            return false;
        }
        final EntryChecksum self = PER_THREAD.get();
        final int length = Math.toIntExact(limit - LENGTH - base);
        final byte[] copy = self.scratchOf(length);
        bytes.read(base, copy, 0, length);
        return bytes.readInt(limit - LENGTH) == self.crcOf(copy, length);
    }

    private byte[] scratchOf(final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Integer.highestOneBit(length) << 1];
        }
        return scratch;
    }

    private int crcOf(final byte[] bytes, final int length)
    {
        crc.reset();
        crc.update(bytes, 0, length);
        return (int)crc.getValue();
    }
}
