package io.chukei.protocol.framing;

import io.netty.buffer.ByteBuf;

/**
 * Layout of the Simple Open Framing Header that precedes every Chukei message.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Message length (uint32, big-endian, incl. header)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Encoding type 0xEB50 (BE)     |  SBE message header (8 bytes) |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |  blockLength, templateId, schemaId, version (uint16 LE each)  |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |  SBE message body ...         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The SOFH fields are big-endian (network order) as the SOFH standard requires; everything
 * after them is SBE little-endian, as the encoding type says.
 */
public final class SofhFrame
{
    /** Offset of the uint32 message length; the length counts the whole frame, header included. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the uint16 encoding type. */
    public static final int ENCODING_TYPE_OFFSET = 4;
    /** Length of the SOFH header. */
    public static final int HEADER_LENGTH = 6;
    /** Encoding type for SBE version 1.0, little-endian. The only one Chukei accepts. */
    public static final int SBE_LITTLE_ENDIAN = 0xEB50;
    /** Length of the SBE message header that follows the SOFH header. */
    public static final int SBE_HEADER_LENGTH = 8;
    /** The shortest valid frame: a SOFH header and an SBE message header with an empty body. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + SBE_HEADER_LENGTH;
    /** Default upper bound on a frame; a Submit with maximal text fields stays well below it. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;

    private SofhFrame()
    {
    }

    /** Writes a SOFH header at {@code index} for a frame of {@code frameLength} bytes (header included). */
    public static void putHeader(final ByteBuf buffer, final int index, final int frameLength)
    {
        buffer.setInt(index + LENGTH_OFFSET, frameLength);
        buffer.setShort(index + ENCODING_TYPE_OFFSET, SBE_LITTLE_ENDIAN);
    }

    /** Reads the frame length at {@code index} as an unsigned value. */
    public static long frameLength(final ByteBuf buffer, final int index)
    {
        return buffer.getUnsignedInt(index + LENGTH_OFFSET);
    }

    /** Reads the encoding type at {@code index}. */
    public static int encodingType(final ByteBuf buffer, final int index)
    {
        return buffer.getUnsignedShort(index + ENCODING_TYPE_OFFSET);
    }

    /** Checks a configured maximum frame length; a configuration error, so it throws. */
    public static int checkMaxFrameLength(final int maxFrameLength)
    {
        if (maxFrameLength < MIN_FRAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "maxFrameLength: " + maxFrameLength + " (expected: >= " + MIN_FRAME_LENGTH + ")");
        }
        return maxFrameLength;
    }
}
