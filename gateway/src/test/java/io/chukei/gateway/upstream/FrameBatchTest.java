package io.chukei.gateway.upstream;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameBatchTest
{
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels()
    {
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theFramesOfOneTurnGoOutInOrderInOneWriteWhenTheTurnsTasksRun()
    {
        final EmbeddedChannel channel = channel();
        final FrameBatch batch = new FrameBatch(channel.eventLoop());

        for (int frame = 1; frame <= 3; frame++)
        {
            append(batch, channel, frame, 100);
        }

        assertThat(channel.outboundMessages()).as("nothing written before the turn's end").isEmpty();
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).hasSize(1);
        assertThat(readFrames(channel)).containsExactly(1, 2, 3);
        assertThat(batch.frames()).isEqualTo(3);
        assertThat(batch.writes()).isEqualTo(1);
    }

    @Test
    void aBurstIsWrittenOutInPartsOfBoundedSizeAndFlushedOnceWithNothingLostOrReordered()
    {
        final EmbeddedChannel channel = channel();
        final FrameBatch batch = new FrameBatch(channel.eventLoop());
        final int frameBytes = 1_000;
        final int frames = 3 * FrameBatch.WRITE_OUT_BYTES / frameBytes;

        for (int frame = 1; frame <= frames; frame++)
        {
            append(batch, channel, frame, frameBytes);
        }
        channel.runPendingTasks();

        final List<ByteBuf> written = new ArrayList<>();
        for (Object message : channel.outboundMessages())
        {
            written.add((ByteBuf)message);
        }
        assertThat(written).hasSizeGreaterThanOrEqualTo(3);
        assertThat(written).allSatisfy(part -> assertThat(part.readableBytes()).isLessThanOrEqualTo(FrameBatch.WRITE_OUT_BYTES));
        final List<Integer> expected = new ArrayList<>();
        for (int frame = 1; frame <= frames; frame++)
        {
            expected.add(frame);
        }
        assertThat(readFrames(channel)).containsExactlyElementsOf(expected);
        assertThat(batch.writes()).isEqualTo(written.size());
    }

    @Test
    void aFrameTakenBackIsNotSentAndTheOthersAre()
    {
        final EmbeddedChannel channel = channel();
        final FrameBatch batch = new FrameBatch(channel.eventLoop());

        append(batch, channel, 1, 50);
        final ByteBuf buffer = batch.buffer(channel, 50);
        final int mark = buffer.writerIndex();
        writeFrame(buffer, 2, 50);
        batch.truncate(mark);
        append(batch, channel, 3, 50);
        channel.runPendingTasks();

        assertThat(readFrames(channel)).containsExactly(1, 3);
        assertThat(batch.frames()).isEqualTo(2);
    }

    @Test
    void framesOfAConnectionClosedBeforeTheTurnsEndAreDroppedAndTheirBufferReleased()
    {
        final EmbeddedChannel channel = channel();
        final FrameBatch batch = new FrameBatch(channel.eventLoop());
        final ByteBuf buffer = append(batch, channel, 1, 100);

        // Through the pipeline: EmbeddedChannel.close() would first run the pending tasks, the turn's flush among them.
        channel.pipeline().close();
        assertThat(channel.isActive()).isFalse();
        channel.runPendingTasks();

        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(buffer.refCnt()).isZero();
        assertThat(batch.writes()).isZero();
    }

    @Test
    void framesEncodedForOneConnectionNeverGoOutOnTheNext()
    {
        final EmbeddedChannel lost = channel();
        final EmbeddedChannel next = channel();
        final FrameBatch batch = new FrameBatch(lost.eventLoop());
        final ByteBuf lostBuffer = append(batch, lost, 1, 100);

        append(batch, next, 2, 100);
        lost.runPendingTasks();
        next.runPendingTasks();

        assertThat(lostBuffer.refCnt()).as("the lost connection's frames dropped").isZero();
        assertThat(lost.outboundMessages()).isEmpty();
        assertThat(readFrames(next)).containsExactly(2);
    }

    @Test
    void discardDropsWhatWasNotWrittenAndTheNextTurnStartsAfresh()
    {
        final EmbeddedChannel channel = channel();
        final FrameBatch batch = new FrameBatch(channel.eventLoop());
        final ByteBuf dropped = append(batch, channel, 1, 100);

        batch.discard();
        channel.runPendingTasks();
        append(batch, channel, 2, 100);
        channel.runPendingTasks();

        assertThat(dropped.refCnt()).isZero();
        assertThat(readFrames(channel)).containsExactly(2);
    }

    private EmbeddedChannel channel()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        // Not pooled: a released buffer is not handed out again, so its reference count says what became of it.
        channel.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        channels.add(channel);
        return channel;
    }

    /** A frame of {@code bytes} bytes: its number, then filler; returns the batch's buffer it went into. */
    private static ByteBuf append(final FrameBatch batch, final EmbeddedChannel channel, final int number, final int bytes)
    {
        final ByteBuf buffer = batch.buffer(channel, bytes);
        writeFrame(buffer, number, bytes);
        return buffer;
    }

    private static void writeFrame(final ByteBuf buffer, final int number, final int bytes)
    {
        buffer.writeInt(bytes);
        buffer.writeInt(number);
        buffer.writeZero(bytes - 8);
    }

    /** The numbers of the frames written to the channel, in the order of their bytes. */
    private static List<Integer> readFrames(final EmbeddedChannel channel)
    {
        final List<Integer> numbers = new ArrayList<>();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null)
        {
            try
            {
                while (part.isReadable())
                {
                    final int bytes = part.readInt();
                    numbers.add(part.readInt());
                    part.skipBytes(bytes - 8);
                }
            }
            finally
            {
                part.release();
            }
        }
        return numbers;
    }
}
