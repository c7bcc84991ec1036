package io.chukei.gateway.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint as an image of the request table (format 4): read back it is the same table, evicting and growing
 * as the saved one would; a damaged, cut or foreign image is refused with what is wrong; format 3 is still read.
 */
class CheckpointFileTest
{
    private static final int SCOPE = 131016;

    @TempDir
    Path directory;

    @Test
    void theImageReadBackIsTheSameTableAndGoesOnAsTheSavedOneWould() throws IOException
    {
        final RequestIndex saved = tableWithEvictionsAndAWrappedOrderRing();

        CheckpointFile.write(directory, saved, 4242);
        final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 100);

        assertThat(loaded.coveredIndex()).isEqualTo(4242);
        final RequestIndex read = loaded.requests();
        assertThat(read.sameContent(saved)).isTrue();
        assertThat(read.size()).isEqualTo(saved.size());
        assertThat(read.evictions()).isEqualTo(saved.evictions());
        assertThat(read.slots()).isEqualTo(saved.slots());
        assertThat(read.maxEntries()).isEqualTo(100);
        final int slot = read.find(SCOPE, 7, 1_296);
        assertThat(read.deadlineEpochMs(slot)).isEqualTo(saved.deadlineEpochMs(saved.find(SCOPE, 7, 1_296)));
        assertThat(read.priority(slot)).isEqualTo((byte)1);
        // Both go on alike: the same evictions, in the same order (the ring's head and wrap came back as they were).
        for (long id = 5_000; id < 5_120; id++)
        {
            saved.accept(SCOPE, 7, id, id, id);
            read.accept(SCOPE, 7, id, id, id);
            saved.complete(SCOPE, 7, id, id + 1);
            read.complete(SCOPE, 7, id, id + 1);
        }
        assertThat(read.sameContent(saved)).isTrue();
        assertThat(read.evictions()).isEqualTo(saved.evictions());
    }

    @Test
    void aPacedWriteAsksAfterEveryMebibyteAndWritesTheSameImage() throws IOException
    {
        // Big enough for several 1 MiB chunks; the pace turns off halfway, as close() turns it off mid-write.
        final RequestIndex saved = new RequestIndex(100_000);
        for (long id = 0; id < 60_000; id++)
        {
            saved.accept(SCOPE, 9, id, id, id * 31);
        }
        final int[] asked = {0};

        CheckpointFile.write(directory, saved, 77, () -> ++asked[0] < 4);

        final long bytes = Files.size(CheckpointFile.path(directory));
        assertThat(bytes).isGreaterThan(4L << 20);
        // Once per chunk drained: every full MiB (a few bytes short where an array's element did not fit), and the last.
        assertThat(asked[0]).isBetween((int)(bytes >> 20), (int)(bytes >> 20) + 2);
        final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 100_000);
        assertThat(loaded.coveredIndex()).isEqualTo(77);
        assertThat(loaded.requests().sameContent(saved)).isTrue();
    }

    @Test
    void anEmptyTableIsReadBackEmpty() throws IOException
    {
        CheckpointFile.write(directory, new RequestIndex(1_000), -1);

        final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 1_000);

        assertThat(loaded.requests().size()).isZero();
        assertThat(loaded.coveredIndex()).isEqualTo(-1);
    }

    @Test
    void aBoundLoweredSinceTheImageKeepsTheNewestAndEveryPendingEntry() throws IOException
    {
        final RequestIndex saved = new RequestIndex(1_000);
        for (long id = 1; id <= 300; id++)
        {
            saved.accept(SCOPE, 7, id, id, id);
            if (id % 3 != 0)
            {
                saved.complete(SCOPE, 7, id, id + 1);
            }
        }
        CheckpointFile.write(directory, saved, 99);

        final RequestIndex read = CheckpointFile.read(directory, 150).requests();

        assertThat(read.size()).isEqualTo(150);
        assertThat(read.maxEntries()).isEqualTo(150);
        for (long id = 3; id <= 300; id += 3)
        {
            assertThat(read.find(SCOPE, 7, id)).as("pending %d", id).isNotEqualTo(RequestIndex.NOT_FOUND);
        }
        assertThat(read.find(SCOPE, 7, 300 - 1)).as("the newest finished").isNotEqualTo(RequestIndex.NOT_FOUND);
        assertThat(read.find(SCOPE, 7, 1)).as("the oldest finished").isEqualTo(RequestIndex.NOT_FOUND);
    }

    @Test
    void aFlippedByteIsRefusedByTheCrc() throws IOException
    {
        CheckpointFile.write(directory, tableWithEvictionsAndAWrappedOrderRing(), 7);
        final byte[] content = Files.readAllBytes(CheckpointFile.path(directory));
        content[content.length / 2] ^= 0x5A;
        Files.write(CheckpointFile.path(directory), content);

        assertThatThrownBy(() -> CheckpointFile.read(directory, 100)).isInstanceOf(IOException.class)
            .hasMessageContaining("crc32c");
    }

    @Test
    void aCutImageIsRefusedForItsLengthBeforeAnythingIsAllocated() throws IOException
    {
        CheckpointFile.write(directory, tableWithEvictionsAndAWrappedOrderRing(), 7);
        final byte[] content = Files.readAllBytes(CheckpointFile.path(directory));
        Files.write(CheckpointFile.path(directory), java.util.Arrays.copyOf(content, content.length - 100));

        assertThatThrownBy(() -> CheckpointFile.read(directory, 100)).isInstanceOf(IOException.class)
            .hasMessageContaining("bytes (expected: " + content.length);
    }

    @Test
    void anImageOfAnotherSlotFunctionIsNotUsed() throws IOException
    {
        CheckpointFile.write(directory, tableWithEvictionsAndAWrappedOrderRing(), 7);
        final byte[] content = Files.readAllBytes(CheckpointFile.path(directory));
        // slotHash follows magic, version, coveredIndex, evictions, size, slots, orderLength and orderHead.
        ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).putInt(8 + 4 + 8 + 8 + 4 + 4 + 4 + 4, 2);
        Files.write(CheckpointFile.path(directory), content);

        assertThatThrownBy(() -> CheckpointFile.read(directory, 100)).isInstanceOf(IOException.class)
            .hasMessageContaining("slot hash 2 (expected: 1)");
    }

    @Test
    void anImageWhoseLiveSlotsDisagreeWithItsSizeIsRefused() throws IOException
    {
        final RequestIndex saved = tableWithEvictionsAndAWrappedOrderRing();
        CheckpointFile.write(directory, saved, 7);
        final byte[] content = Files.readAllBytes(CheckpointFile.path(directory));
        final ByteBuffer image = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        image.putInt(8 + 4 + 8 + 8, saved.size() + 1);
        image.putInt(content.length - 4, crc(content, content.length - 4));
        Files.write(CheckpointFile.path(directory), content);

        assertThatThrownBy(() -> CheckpointFile.read(directory, 100)).isInstanceOf(IOException.class)
            .hasMessageContaining("live slots: " + saved.size() + " (expected: size " + (saved.size() + 1) + ")");
    }

    @Test
    void aFormatThreeCheckpointOfAnEarlierVersionIsStillRead() throws IOException
    {
        final RequestIndex saved = tableWithEvictionsAndAWrappedOrderRing();
        writeFormatThree(saved, 31);

        final CheckpointFile.Loaded loaded = CheckpointFile.read(directory, 100);

        assertThat(loaded.coveredIndex()).isEqualTo(31);
        assertThat(loaded.requests().sameContent(saved)).isTrue();
    }

    /** 100 entries at most: 300 accepted, most finished, so the oldest finished were evicted and the ring wrapped. */
    private static RequestIndex tableWithEvictionsAndAWrappedOrderRing()
    {
        final RequestIndex table = new RequestIndex(100);
        for (long id = 1_000; id < 1_300; id++)
        {
            table.accept(SCOPE, 7, id, id * 3, id ^ 0x5555, 1_800_000_000_000L + id, (byte)1);
            if (id % 4 == 0)
            {
                table.forwarded(SCOPE, 7, id, 2);
            }
            else
            {
                table.complete(SCOPE, 7, id, id * 3 + 1);
            }
        }
        assertThat(table.evictions()).isPositive();
        return table;
    }

    /** The layout of format 3 (CheckpointFile's comment), as an earlier version wrote it. */
    private void writeFormatThree(final RequestIndex table, final long coveredIndex) throws IOException
    {
        final int entryLength = 4 + 8 + 8 + 1 + 8 + 8 + 8 + 4 + 8 + 1;
        final ByteBuffer out = ByteBuffer.allocate(8 + 4 + 8 + 8 + 4 + table.size() * entryLength + 4)
            .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(0x43484B4A43503031L).putInt(3).putLong(coveredIndex).putLong(table.evictions()).putInt(table.size());
        table.forEachSlot(slot -> out.putInt(table.scope(slot)).putLong(table.idHi(slot)).putLong(table.idLo(slot))
            .put(table.state(slot)).putLong(table.acceptedIndex(slot)).putLong(table.terminalIndex(slot))
            .putLong(table.fingerprint(slot)).putInt(table.forwardAttempts(slot)).putLong(table.deadlineEpochMs(slot))
            .put(table.priority(slot)));
        out.putInt(crc(out.array(), out.position()));
        Files.write(CheckpointFile.path(directory), out.array());
    }

    private static int crc(final byte[] content, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(content, 0, length);
        return (int)crc.getValue();
    }
}
