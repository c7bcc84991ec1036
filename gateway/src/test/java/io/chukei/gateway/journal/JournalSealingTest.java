package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.EMPTY;
import static io.chukei.gateway.journal.JournalFixtures.MUNICIPALITY;
import static io.chukei.gateway.journal.JournalFixtures.SCOPE;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static io.chukei.gateway.journal.JournalFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chukei.gateway.files.FileBytes;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealed entries: what is on disk, what reads back, and what happens with the wrong key or changed bytes. */
class JournalSealingTest
{
    private static final String PERSONAL = "PERSONAL-123456789018-山田太郎";

    @TempDir
    Path directory;
    @TempDir
    Path keys;

    private Journal journal;

    @AfterEach
    void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }

    @Test
    void acceptedSubmitRoundTripsAndItsPersonalPartIsNotOnDiskInClear() throws IOException
    {
        journal = open(keyFile("a"));
        final UnsafeBuffer submit = submit(PERSONAL);
        final long index = accept(1, submit);

        final AcceptedView view = new AcceptedView();
        assertThat(journal.readAccepted(index, view)).isTrue();
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(submit, submit.capacity()));
        journal.close();
        journal = null;
        assertThat(onDisk("山田太郎", StandardCharsets.UTF_8)).isEmpty();
        assertThat(onDisk("123456789018", StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theSubmitsPrefixBeforeThePersonalNumberStaysInClearForTools() throws IOException
    {
        journal = open(keyFile("a"));
        final UnsafeBuffer submit = submit(PERSONAL);
        accept(1, submit);
        journal.close();
        journal = null;

        final String prefix = new String(bytes(submit, SealedEntries.SUBMIT_CLEAR_PREFIX), StandardCharsets.ISO_8859_1);
        assertThat(onDisk(prefix, StandardCharsets.ISO_8859_1)).isNotEmpty();
    }

    @Test
    void completedDetailAndPayloadRoundTripSealed() throws IOException
    {
        journal = open(keyFile("a"));
        final DirectBuffer detail = utf8("card of 山田太郎 suspended");
        final DirectBuffer payload = utf8("payload 123456789018");
        final long index = journal.appendCompleted(SCOPE, 1, 1, (byte)1, 7, true, detail, 0, detail.capacity(), payload, 0,
            payload.capacity());

        final CompletedView view = new CompletedView();
        assertThat(journal.readCompleted(index, view)).isTrue();
        assertThat(view.upstreamCode()).isEqualTo(7);
        assertThat(view.duplicate()).isTrue();
        assertThat(bytes(view.detail(), view.detailLength())).isEqualTo(bytes(detail, detail.capacity()));
        assertThat(bytes(view.payload(), view.payloadLength())).isEqualTo(bytes(payload, payload.capacity()));
        journal.close();
        journal = null;
        assertThat(onDisk("山田太郎", StandardCharsets.UTF_8)).isEmpty();
        assertThat(onDisk("123456789018", StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anEntrySealedWithAKeyIdTheRingLacksIsAClearError() throws IOException
    {
        final Path ring = keyFile("a");
        journal = open(ring);
        final long index = accept(1, submit(PERSONAL));
        journal.close();
        final Path onlyKeyTwo = keyFile("b");
        JournalKeys.rotate(onlyKeyTwo);
        JournalKeys.rotate(onlyKeyTwo);
        Files.write(onlyKeyTwo, Files.readAllLines(onlyKeyTwo).stream().filter(line -> !line.startsWith("1 ")).toList());

        journal = open(onlyKeyTwo);

        assertThat(journal.readAccepted(index, new AcceptedView())).isFalse();
        assertThat(journal.trace(1, 1)).singleElement().extracting(JournalEvent::summary).asString()
            .startsWith("unreadable: journal entry at index " + index + " is sealed with key id 1, which ")
            .contains("does not hold (it holds ids [2])");
        assertThatThrownBy(journal::recover).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot be read with the configured keys").hasMessageContaining("key id 1");
    }

    @Test
    void aChangedCiphertextByteFailsAuthentication() throws IOException
    {
        journal = open(keyFile("a"));
        final long index = accept(1, submit(PERSONAL));
        journal.close();
        flipCiphertextByte(index);

        journal = open(keyFile("a"));

        assertThat(journal.readAccepted(index, new AcceptedView())).isFalse();
        assertThat(journal.trace(1, 1)).singleElement().extracting(JournalEvent::summary).asString()
            .contains("failed authentication under key id 1");
    }

    @Test
    void anotherKeyUnderTheSameIdIsRefusedAtRecovery() throws IOException
    {
        journal = open(keyFile("a"));
        accept(1, submit(PERSONAL));
        journal.close();

        journal = open(keyFile("other"));

        assertThatThrownBy(journal::recover).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("failed authentication under key id 1");
    }

    @Test
    void afterRotationNewEntriesUseTheNewKeyAndOldOnesStillRead() throws IOException
    {
        final Path ring = keyFile("a");
        journal = open(ring);
        final UnsafeBuffer first = submit(PERSONAL);
        final long old = accept(1, first);
        journal.close();
        assertThat(JournalKeys.rotate(ring)).isEqualTo(2);

        journal = open(ring);
        journal.recover();
        final UnsafeBuffer second = submit("second 山田花子");
        final long fresh = accept(2, second);

        final AcceptedView view = new AcceptedView();
        assertThat(journal.readAccepted(old, view)).isTrue();
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(first, first.capacity()));
        assertThat(journal.readAccepted(fresh, view)).isTrue();
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(second, second.capacity()));
        assertThat(journal.trace(1, 1)).singleElement().extracting(JournalEvent::summary).asString().endsWith(" key=1");
        assertThat(journal.trace(1, 2)).singleElement().extracting(JournalEvent::summary).asString().endsWith(" key=2");
    }

    @Test
    void clearEntriesFromBeforeSealingStillReadAndRecover() throws IOException
    {
        journal = Journal.open(config(directory).build());
        final UnsafeBuffer clear = submit(PERSONAL);
        final long old = accept(1, clear);
        journal.close();

        journal = open(keyFile("a"));
        final RecoveredState state = journal.recover();
        final long sealed = accept(2, submit("new"));

        assertThat(state.pending()).extracting(PendingRequest::idLo).containsExactly(1L);
        final AcceptedView view = new AcceptedView();
        assertThat(journal.readAccepted(old, view)).isTrue();
        assertThat(bytes(view.submit(), view.submitLength())).isEqualTo(bytes(clear, clear.capacity()));
        assertThat(journal.readAccepted(sealed, view)).isTrue();
    }

    @Test
    void ivsOfTheNextRunStartAboveEveryIvOfThePreviousRun() throws IOException
    {
        final Path ring = keyFile("a");
        journal = open(ring);
        accept(1, submit("a"));
        accept(2, submit("b"));
        journal.close();
        journal = open(ring);
        accept(3, submit("c"));

        final List<Long> counters = ivCounters();
        assertThat(counters).hasSize(3).doesNotHaveDuplicates().isSorted();
    }

    private Journal open(final Path keyFile) throws IOException
    {
        return Journal.open(config(directory).keys(JournalKeys.loadOrCreate(keyFile)).build());
    }

    private Path keyFile(final String name)
    {
        return keys.resolve(name + ".keys");
    }

    private long accept(final long lo, final UnsafeBuffer submit)
    {
        return journal.appendAccepted(1, lo, 7, 42L, MUNICIPALITY, 0, (byte)1, 1_800_000_000_000L, lo, submit, 0,
            submit.capacity());
    }

    /** Stands in for a Submit: the first bytes (the clear prefix) recognisable, then the personal text. */
    private static UnsafeBuffer submit(final String personal)
    {
        final byte[] text = personal.getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = new byte[SealedEntries.SUBMIT_CLEAR_PREFIX + text.length];
        for (int i = 0; i < SealedEntries.SUBMIT_CLEAR_PREFIX; i++)
        {
            bytes[i] = (byte)('A' + i % 26);
        }
        System.arraycopy(text, 0, bytes, SealedEntries.SUBMIT_CLEAR_PREFIX, text.length);
        return new UnsafeBuffer(bytes);
    }

    /** The files under the journal directory that hold {@code text} as UTF-8 (or Latin-1 for raw bytes). */
    private List<Path> onDisk(final String text, final java.nio.charset.Charset charset) throws IOException
    {
        return FileBytes.filesContaining(directory, text.getBytes(charset));
    }

    private SingleChronicleQueue rawQueue()
    {
        return SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
    }

    private void flipCiphertextByte(final long index)
    {
        try (SingleChronicleQueue queue = rawQueue(); ExcerptTailer tailer = queue.createTailer())
        {
            assertThat(tailer.moveToIndex(index)).isTrue();
            try (DocumentContext dc = tailer.readingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final long base = bytes.readPosition();
                final long at = SealedEntries.blockAt(bytes, base) + EntrySealer.BLOCK_HEADER_LENGTH + 3;
                bytes.writeByte(at, (byte)(bytes.readByte(at) ^ 0x01));
                // The entry's checksum rewritten to match, as whoever changed the byte on purpose would: what is left
                // to catch the change is the seal's authentication, which this class tests.
                final long limit = bytes.readLimit();
                final byte[] entry = new byte[(int)(limit - EntryChecksum.LENGTH - base)];
                bytes.read(base, entry, 0, entry.length);
                final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(entry);
                bytes.writeInt(limit - EntryChecksum.LENGTH, (int)crc.getValue());
            }
        }
    }

    private List<Long> ivCounters()
    {
        final List<Long> counters = new ArrayList<>();
        try (SingleChronicleQueue queue = rawQueue(); ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long ivAt = SealedEntries.blockAt(bytes, bytes.readPosition()) + 4;
                    long counter = 0;
                    for (int i = 4; i < EntrySealer.IV_LENGTH; i++)
                    {
                        counter = counter << 8 | (bytes.readByte(ivAt + i) & 0xFF);
                    }
                    counters.add(counter);
                }
            }
        }
        return counters;
    }

    private static byte[] bytes(final DirectBuffer buffer, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }
}
