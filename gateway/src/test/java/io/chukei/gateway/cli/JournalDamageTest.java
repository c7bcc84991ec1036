package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.gateway.journal.RecoveredState;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Issue 18, item 2: the journal as a crash of the machine leaves it. A cycle file cut short: read-only tools refuse
 * it with a message (instead of the SIGBUS Chronicle would meet reading past the end), the node repairs it when it
 * opens the journal (everything before the cut kept, at the same indexes, new entries right after them, readable
 * after the next restart) and {@code journal verify} reports it. A zeroed entry header and a flipped byte inside a
 * sealed part are reported by {@code journal verify} with the entry's index; a zeroed header also by recovery, with
 * the unreadable range.
 */
class JournalDamageTest
{
    private static final UnsafeBuffer MUNICIPALITY = new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII));
    private static final int REQUESTS = 1_000;

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();

    @Test
    void anIntactJournalVerifiesClean() throws IOException
    {
        journalRequests(1, REQUESTS);

        assertThat(verify()).as(out.toString()).isEqualTo(0);
        assertThat(out.toString()).contains(REQUESTS + " entries read").contains("journal verify: intact");
    }

    @Test
    void aCutCycleFileIsReportedRefusedByReadOnlyToolsAndRepairedByTheNodeWithoutAGap() throws IOException
    {
        journalRequests(1, REQUESTS);
        final long entryAtCut = positionOf(REQUESTS / 2);
        cut(cycleFile(), entryAtCut + 10);

        assertThat(verify()).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("DAMAGED").contains("cut at " + (entryAtCut + 10) + " bytes")
            .contains(REQUESTS / 2 + " entries readable");
        assertThatThrownBy(() -> Journal.open(config().readOnly(true).build()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("cut short");

        try (Journal journal = Journal.open(config().build()))
        {
            final RecoveredState state = journal.recover();
            assertThat(state.pending()).as("every entry before the cut").hasSize(REQUESTS / 2);
            accept(journal, 2, 1);
        }
        try (Stream<Path> files = Files.list(journalDir()))
        {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(name -> name.contains(".cq4.damaged-"));
        }
        try (Journal reopened = Journal.open(config().readOnly(true).build()))
        {
            assertThat(reopened.recover().pending()).as("the entry written after the repair is read again")
                .hasSize(REQUESTS / 2 + 1);
            assertThat(reopened.trace(2, 1)).hasSize(1);
        }
        assertThat(verify()).as(out.toString()).isEqualTo(0);
    }

    @Test
    void aZeroedEntryHeaderIsReportedWithTheUnreadableIndexRange() throws IOException
    {
        journalRequests(1, REQUESTS);
        final Entry firstLost = entryAt(300);
        final Entry last = entryAt(REQUESTS - 1);
        try (RandomAccessFile file = new RandomAccessFile(cycleFile().toFile(), "rw"))
        {
            file.seek(firstLost.start() - 4);
            file.writeInt(0);
        }

        assertThat(verify()).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("300 entries read").contains("reading stops after index")
            .contains("unreadable");

        // Recovery says the same, read-only (a tool) or not (the node), when it replays the damaged part (no checkpoint
        // covers it; one that did would spare the replay): the range the queue's index names past the stop.
        Files.delete(journalDir().resolve("requests.checkpoint"));
        final String range = "entries " + Long.toHexString(firstLost.index()) + ".." + Long.toHexString(last.index()) +
            " are unreadable";
        for (final boolean readOnly : new boolean[] {true, false})
        {
            final ListAppender<ILoggingEvent> logged = new ListAppender<>();
            final Logger journalLog = (Logger)LoggerFactory.getLogger(Journal.class);
            logged.start();
            journalLog.addAppender(logged);
            try (Journal journal = Journal.open(config().readOnly(readOnly).build()))
            {
                assertThat(journal.recover().pending()).as("read-only %s: the entries before the damage", readOnly)
                    .hasSize(300);
            }
            finally
            {
                journalLog.detachAppender(logged);
            }
            assertThat(logged.list).as("read-only %s", readOnly).filteredOn(event -> event.getLevel() == Level.ERROR)
                .extracting(ILoggingEvent::getFormattedMessage).anyMatch(message -> message.contains(range));
        }
    }

    @Test
    void aFlippedByteInsideASealedPartFailsItsChecksumAndAForgedChecksumStillFailsAuthentication() throws IOException
    {
        final Path keyFile = data.resolve("keys").resolve("journal.keys");
        Files.createDirectories(keyFile.getParent());
        try (Journal journal = Journal.open(config().keys(JournalKeys.loadOrCreate(keyFile)).build()))
        {
            journal.recover();
            for (long lo = 1; lo <= 10; lo++)
            {
                accept(journal, 1, lo);
            }
        }
        final Entry entry = entryAt(4);
        // Near the entry's end: inside the sealed Submit's ciphertext or tag.
        flip(entry.start() + 200);

        assertThat(verify("--key-file", keyFile.toString())).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("index " + Long.toHexString(entry.index()) + ": checksum mismatch")
            .contains("10 entries read");

        // Someone who rewrites the checksum too (it is no secret) still cannot change what the key sealed.
        forgeChecksum(entry);
        assertThat(verify("--key-file", keyFile.toString())).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("does not authenticate").doesNotContain("checksum mismatch");

        // Without the key the forgery passes; verify says that it could not look (it said "intact" and nothing else).
        Files.move(keyFile, data.resolve("journal.keys.elsewhere"));
        assertThat(verify()).as(out.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("NOT CHECKED 10 sealed entries: no key ring (" + keyFile +
            " absent and no --key-file), so a changed personal part would not be found");
    }

    /**
     * The newest cycle file deleted (a day's entries, with the operators' audit entries among them): nothing left in
     * the files shows it but the checkpoint, which covered entries the journal no longer holds (verify said "intact").
     */
    @Test
    void aJournalThatLostItsNewestEntriesIsDamagedAgainstItsCheckpoint() throws IOException
    {
        journalRequests(1, REQUESTS);
        try (Stream<Path> files = Files.list(journalDir()))
        {
            for (final Path cycle : files.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList())
            {
                Files.delete(cycle);
            }
        }

        assertThat(verify()).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("0 entries read").contains("DAMAGED the checkpoint (requests.checkpoint) " +
            "covers entries up to index ").contains("but the journal ends empty: its newest entries are missing");
    }

    @Test
    void aChangedByteInAClearFieldIsFoundByVerifyAndRecoverySkipsThatEntryAlone() throws IOException
    {
        journalRequests(1, 10);
        final Entry entry = entryAt(4);
        // The ACCEPTED entry's deadline: a clear field, which no seal covers.
        flip(entry.start() + 45);

        assertThat(verify()).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("index " + Long.toHexString(entry.index()) + ": checksum mismatch")
            .contains("10 entries read");
        // A crash of the machine damages what was written since the last checkpoint, which start-up replays; here the
        // checkpoint written at close would cover the damaged entry, so it goes and recovery replays every entry.
        Files.delete(journalDir().resolve("requests.checkpoint"));
        try (Journal journal = Journal.open(config().build()))
        {
            final RecoveredState state = journal.recover();
            assertThat(state.pending()).as("every entry but the damaged one").hasSize(9);
            assertThat(state.requests().size()).isEqualTo(9);
            // A journal with damage may have lost FORWARDED entries too: no pending request is taken as never forwarded.
            assertThat(state.pending()).allSatisfy(pending -> assertThat(pending.forwardAttempts()).isEqualTo(1));
        }
    }

    @Test
    void anEntryAChangedByteDamagedUnderTheCheckpointIsNeitherReadBackNorShownByTools() throws IOException
    {
        journalRequests(1, 10);
        final Entry entry = entryAt(4);
        flip(entry.start() + 45);

        // The checkpoint written at close covers the changed entry: recovery does not replay it, so it stays pending.
        try (Journal journal = Journal.open(config().build()))
        {
            assertThat(journal.recover().pending()).hasSize(10);
            assertThat(journal.readAccepted(entry.index(), new AcceptedView()))
                .as("its Submit is not read back to be forwarded again").isFalse();
            assertThat(journal.readAccepted(entryAt(3).index(), new AcceptedView())).as("its neighbour's is").isTrue();
            assertThat(journal.trace(1, 5)).as("trace leaves the changed entry out").isEmpty();
            assertThat(journal.trace(1, 4)).hasSize(1);
        }
    }

    private void journalRequests(final long hi, final int count)
    {
        try (Journal journal = Journal.open(config().build()))
        {
            journal.recover();
            for (long lo = 1; lo <= count; lo++)
            {
                accept(journal, hi, lo);
            }
        }
    }

    private static void accept(final Journal journal, final long hi, final long lo)
    {
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[300]);
        submit.setMemory(0, 300, (byte)lo);
        assertThat(journal.appendAccepted(hi, lo, 1, 1L, MUNICIPALITY, 0, (byte)1, 1_900_000_000_000L, lo, submit, 0, 300))
            .isNotNegative();
    }

    /** The file offset where entry number {@code n} (0-based) starts, read with Chronicle itself. */
    private long positionOf(final int n)
    {
        return entryAt(n).start();
    }

    /** Entry number {@code n} (0-based): its index and where it starts and ends in the cycle file. */
    private Entry entryAt(final int n)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(journalDir()).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer())
        {
            for (int i = 0; ; i++)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    assertThat(dc.isPresent()).isTrue();
                    if (i == n)
                    {
                        return new Entry(tailer.index(), dc.wire().bytes().readPosition(), dc.wire().bytes().readLimit());
                    }
                }
            }
        }
    }

    private record Entry(long index, long start, long limit)
    {
    }

    private void flip(final long at) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(cycleFile().toFile(), "rw"))
        {
            file.seek(at);
            final int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
    }

    /** Writes the CRC32C of the entry's bytes over its last four, as the journal does (little-endian). */
    private void forgeChecksum(final Entry entry) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(cycleFile().toFile(), "rw"))
        {
            final byte[] bytes = new byte[(int)(entry.limit() - 4 - entry.start())];
            file.seek(entry.start());
            file.readFully(bytes);
            final CRC32C crc = new CRC32C();
            crc.update(bytes);
            file.seek(entry.limit() - 4);
            file.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int)crc.getValue()).array());
        }
    }

    private static void cut(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
    }

    private Path cycleFile() throws IOException
    {
        try (Stream<Path> files = Files.list(journalDir()))
        {
            final List<Path> cycles = files.filter(f -> f.toString().endsWith(".cq4")).toList();
            assertThat(cycles).hasSize(1);
            return cycles.get(0);
        }
    }

    private Path journalDir()
    {
        return data.resolve("journal");
    }

    private JournalConfig.Builder config()
    {
        return JournalConfig.builder().directory(journalDir()).nodeId(1);
    }

    private int verify(final String... more)
    {
        out.getBuffer().setLength(0);
        final CommandLine commandLine = new CommandLine(JournalCommand.class);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        final String[] args = Stream.concat(Stream.of("verify", "--data", data.toString()), Stream.of(more)).toArray(String[]::new);
        return commandLine.execute(args);
    }
}
