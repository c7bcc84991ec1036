package io.chukei.protocol.testing;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.MessageHeaderDecoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Well-formed messages of this version (SBE header and body, as bytes) reshaped the way another
 * sender might write them: a longer block, a newer version number, fields appended after the last
 * one. For tests of what a reader accepts, refuses and passes on.
 */
public final class ReshapedMessages
{
    /** The byte the inserted block bytes and appended fields are filled with: easy to spot in a forwarded copy. */
    public static final byte FILL = (byte)0xA5;

    private static final int BLOCK_LENGTH_OFFSET = 0;
    private static final int VERSION_OFFSET = 6;

    private ReshapedMessages()
    {
    }

    /** {@code message} with {@code extra} more block bytes (filled with {@link #FILL}) and its header saying so. */
    public static byte[] withLongerBlock(final byte[] message, final int extra)
    {
        final int blockLength = blockLength(message);
        final int blockEnd = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        final byte[] out = new byte[message.length + extra];
        System.arraycopy(message, 0, out, 0, blockEnd);
        Arrays.fill(out, blockEnd, blockEnd + extra, FILL);
        System.arraycopy(message, blockEnd, out, blockEnd + extra, message.length - blockEnd);
        header(out).putShort(BLOCK_LENGTH_OFFSET, (short)(blockLength + extra));
        return out;
    }

    /**
     * {@code message} as a sender of version {@code version} might write it: {@code extraBlock} more block bytes
     * and one appended variable-length field of {@code appendedField} bytes (none when negative).
     */
    public static byte[] asVersion(final byte[] message, final int version, final int extraBlock, final int appendedField)
    {
        final byte[] longer = withLongerBlock(message, extraBlock);
        header(longer).putShort(VERSION_OFFSET, (short)version);
        return appendedField < 0 ? longer : appendVarField(longer, appendedField);
    }

    /** A newer sender's message: {@link MessageReader#SCHEMA_VERSION} + 1. */
    public static byte[] asNewerVersion(final byte[] message, final int extraBlock, final int appendedField)
    {
        return asVersion(message, MessageReader.SCHEMA_VERSION + 1, extraBlock, appendedField);
    }

    /** {@code message} followed by a uint16 length and that many {@link #FILL} bytes. */
    public static byte[] appendVarField(final byte[] message, final int length)
    {
        final byte[] out = Arrays.copyOf(message, message.length + 2 + length);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(message.length, (short)length);
        Arrays.fill(out, message.length + 2, out.length, FILL);
        return out;
    }

    /** {@code message} followed by {@code count} {@link #FILL} bytes that belong to no field. */
    public static byte[] withTrailingBytes(final byte[] message, final int count)
    {
        final byte[] out = Arrays.copyOf(message, message.length + count);
        Arrays.fill(out, message.length, out.length, FILL);
        return out;
    }

    public static int blockLength(final byte[] message)
    {
        return header(message).getShort(BLOCK_LENGTH_OFFSET) & 0xFFFF;
    }

    private static ByteBuffer header(final byte[] message)
    {
        return ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
    }
}
