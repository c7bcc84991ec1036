package io.chukei.gateway.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.framing.SofhFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The SOFH frame decoder against a model of its documented rules: for any byte stream, cut into reads of
 * any size, it emits exactly the frames and the errors (code, length, fatal or not) the model predicts, in
 * order, lets no other exception through, and leaves no buffer unreleased.
 *
 * <p>Seeds: {@code src/test/resources/io/chukei/gateway/fuzz/FrameDecoderFuzzTestInputs/}. The first byte
 * of an input is the read size; the rest is the stream.
 */
public class FrameDecoderFuzzTest
{
    /** Small, so the fuzzer reaches the too-large path with short inputs. */
    static final int MAX_FRAME_LENGTH = 512;

    @FuzzTest(maxDuration = "5s")
    void frameDecoder(final byte[] data)
    {
        fuzzerTestOneInput(data);
    }

    /** The entry point of {@code ops/chukei fuzz} (Jazzer's command line). */
    public static void fuzzerTestOneInput(final byte[] data)
    {
        LeakWatch.input();
        final TrackingAllocator alloc = new TrackingAllocator();
        final Recorder recorder = new Recorder();
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new SofhFrameDecoder(MAX_FRAME_LENGTH), recorder);
        Chunks.feed(data, alloc, channel::writeInbound);
        channel.finishAndReleaseAll();
        channel.checkException();
        if (recorder.undocumented != null)
        {
            throw new AssertionError("undocumented exception from the decoder", recorder.undocumented);
        }

        final List<String> expected = model(data.length == 0 ? new byte[0] : java.util.Arrays.copyOfRange(data, 1, data.length));
        if (!expected.equals(recorder.events))
        {
            throw new AssertionError("decoder " + recorder.events + " != documented " + expected);
        }
        alloc.assertAllReleased("frame decoder");
    }

    /** The decoder's rules as its class comment states them, over the whole stream at once. */
    static List<String> model(final byte[] stream)
    {
        final List<String> events = new ArrayList<>();
        final ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.remaining() >= SofhFrame.HEADER_LENGTH)
        {
            final long length = Integer.toUnsignedLong(in.getInt(in.position()));
            final int encoding = Short.toUnsignedInt(in.getShort(in.position() + 4));
            if (length < SofhFrame.HEADER_LENGTH)
            {
                events.add("fatal FRAME_TOO_SHORT " + length);
                return events;
            }
            if (encoding != SofhFrame.SBE_LITTLE_ENDIAN)
            {
                events.add("fatal UNSUPPORTED_ENCODING " + length);
                return events;
            }
            final long swapped = Integer.toUnsignedLong(Integer.reverseBytes((int)length));
            if (length > MAX_FRAME_LENGTH && (length > 16L * MAX_FRAME_LENGTH ||
                swapped >= SofhFrame.MIN_FRAME_LENGTH && swapped <= MAX_FRAME_LENGTH))
            {
                // Too long to be a real frame, or a length written little-endian: skipping would swallow what follows.
                events.add("fatal FRAME_TOO_LARGE " + length);
                return events;
            }
            if (length > MAX_FRAME_LENGTH || length < SofhFrame.MIN_FRAME_LENGTH)
            {
                events.add((length > MAX_FRAME_LENGTH ? "skip FRAME_TOO_LARGE " : "skip FRAME_TOO_SHORT ") + length);
                if (length > in.remaining())
                {
                    return events;
                }
                in.position(in.position() + (int)length);
                continue;
            }
            if (in.remaining() < length)
            {
                return events;
            }
            events.add("frame " + (length - SofhFrame.HEADER_LENGTH));
            in.position(in.position() + (int)length);
        }
        return events;
    }

    /** What reaches the handler after the decoder: frames (released at once) and errors. */
    private static final class Recorder extends ChannelInboundHandlerAdapter
    {
        final List<String> events = new ArrayList<>();
        Throwable undocumented;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            events.add("frame " + frame.readableBytes());
            frame.release();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (!(cause instanceof SofhFrameException error))
            {
                // Thrown from here Netty would only log it: kept, and thrown by the target.
                undocumented = cause;
                return;
            }
            events.add((error.isFatal() ? "fatal " : "skip ") + error.errorCode() + " " + error.declaredLength());
        }
    }
}
