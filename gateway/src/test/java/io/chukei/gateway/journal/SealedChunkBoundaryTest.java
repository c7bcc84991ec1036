package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.MUNICIPALITY;
import static io.chukei.gateway.journal.JournalFixtures.SCOPE;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static io.chukei.gateway.journal.JournalFixtures.submitBytes;
import static io.chukei.gateway.journal.JournalFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed entries that straddle the boundaries of the queue's memory-mapped chunks. The associated data of a
 * sealed entry is its clear part; an earlier writer read that part back from the mapped file after writing it,
 * and when the write had moved the bytes onto the next chunk's mapping that read landed in front of the mapping
 * and crashed the JVM (SIGSEGV after ~270 MB with Chronicle's default block size). With 256 KiB blocks, a few
 * thousand entries of varied length (~8 MB) cross some thirty chunk boundaries at every offset of their header.
 */
class SealedChunkBoundaryTest
{
    private static final long BLOCK_SIZE = 256 * 1024;
    private static final int ENTRIES = 12_000;

    @TempDir
    Path directory;
    @TempDir
    Path keyDirectory;

    /** The full-disk guard reckons in Chronicle's default chunk size, which this test shrinks on purpose. */
    private JournalConfig smallBlocks(final JournalKeys keys)
    {
        return config(directory).keys(keys).blockSize(BLOCK_SIZE).preallocateBytes(0).build();
    }

    @Test
    void sealedEntriesAcrossManyChunkBoundariesAreWrittenAndReadBackExactly() throws IOException
    {
        final JournalKeys keys = JournalKeys.loadOrCreate(keyDirectory.resolve("journal.keys"));
        final long[] accepted = new long[ENTRIES];
        final long[] completed = new long[ENTRIES];
        try (Journal journal = Journal.open(smallBlocks(keys)))
        {
            for (int i = 0; i < ENTRIES; i++)
            {
                // Lengths cycle through 97 values so entry starts drift across every offset of a chunk's end.
                final UnsafeBuffer submit = submitBytes(i, 120 + (i * 37) % 97 * 7);
                accepted[i] = journal.appendAccepted(1, i, 7, i, MUNICIPALITY, 0, (byte)1, 1_800_000_000_000L, i,
                    submit, 0, submit.capacity());
                final DirectBuffer detail = utf8("適用 " + i);
                final DirectBuffer payload = utf8("status=ACTIVE;" + "x".repeat(i % 61));
                completed[i] = journal.appendCompleted(SCOPE, 1, i, (byte)1, 200, false, detail, 0,
                    detail.capacity(), payload, 0, payload.capacity());
                assertThat(accepted[i]).isNotEqualTo(Journal.APPEND_FAILED);
                assertThat(completed[i]).isNotEqualTo(Journal.APPEND_FAILED);
            }
        }
        assertThat(cycleFileBytes()).as("the journal must span many chunks for the test to mean anything")
            .isGreaterThan(20 * BLOCK_SIZE);

        try (Journal journal = Journal.open(smallBlocks(keys)))
        {
            final AcceptedView acceptedView = new AcceptedView();
            final CompletedView completedView = new CompletedView();
            for (int i = 0; i < ENTRIES; i++)
            {
                final UnsafeBuffer submit = submitBytes(i, 120 + (i * 37) % 97 * 7);
                assertThat(journal.readAccepted(accepted[i], acceptedView)).isTrue();
                assertThat(acceptedView.connectionId()).isEqualTo(i);
                assertThat(bytes(acceptedView.submit(), acceptedView.submitLength()))
                    .as("submit of entry %d", i).isEqualTo(bytes(submit, submit.capacity()));
                assertThat(journal.readCompleted(completed[i], completedView)).isTrue();
                assertThat(completedView.detail().getStringWithoutLengthUtf8(0, completedView.detailLength()))
                    .isEqualTo("適用 " + i);
                assertThat(completedView.payloadLength()).isEqualTo("status=ACTIVE;".length() + i % 61);
            }
            assertThat(journal.recover().pending()).isEmpty();
        }
    }

    private long cycleFileBytes() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.toString().endsWith(".cq4")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static byte[] bytes(final DirectBuffer buffer, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }
}
