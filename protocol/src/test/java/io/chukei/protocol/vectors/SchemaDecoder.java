package io.chukei.protocol.vectors;

import io.chukei.protocol.framing.SofhFrame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Decodes a frame with nothing but the schema file (SBE's on-the-fly decoder over the schema's
 * intermediate representation), not with the generated codecs: the vectors' field lists are a
 * second reading of the bytes the codecs wrote, one line per field with its offset in the frame.
 */
final class SchemaDecoder
{
    private static final HexFormat HEX = HexFormat.of();

    private final Ir ir;
    private final OtfHeaderDecoder header;

    SchemaDecoder() throws Exception
    {
        try (InputStream schema = SchemaDecoder.class.getResourceAsStream("/sbe/chukei-schema.xml"))
        {
            ir = new IrGenerator().generate(XmlSchemaParser.parse(schema, ParserOptions.DEFAULT));
        }
        header = new OtfHeaderDecoder(ir.headerStructure());
    }

    Ir ir()
    {
        return ir;
    }

    String messageName(final int templateId)
    {
        return ir.getMessage(templateId).get(0).name();
    }

    /** The frame's fields, one line each: {@code @offset name type = value}. */
    String decode(final byte[] frame)
    {
        final DirectBuffer buffer = new UnsafeBuffer(frame);
        final StringBuilder out = new StringBuilder();
        final int h = SofhFrame.HEADER_LENGTH;
        line(out, 0, "SOFH messageLength", "uint32 BIG-endian", Long.toString(buffer.getInt(0, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL));
        line(out, 4, "SOFH encodingType", "uint16 BIG-endian",
            "0x" + Integer.toHexString(buffer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF).toUpperCase());
        final int blockLength = header.getBlockLength(buffer, h);
        final int templateId = header.getTemplateId(buffer, h);
        final int version = header.getSchemaVersion(buffer, h);
        line(out, h, "blockLength", "uint16", Integer.toString(blockLength));
        line(out, h + 2, "templateId", "uint16", templateId + " (" + messageName(templateId) + ")");
        line(out, h + 4, "schemaId", "uint16", Integer.toString(header.getSchemaId(buffer, h)));
        line(out, h + 6, "version", "uint16", Integer.toString(version));
        final List<Token> tokens = ir.getMessage(templateId);
        final int end = OtfMessageDecoder.decode(buffer, h + header.encodedLength(), version, blockLength, tokens,
            new Lines(out));
        if (end != frame.length)
        {
            throw new IllegalStateException(messageName(templateId) + ": decoded to byte " + end + " of " + frame.length);
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final int offset, final String name, final String type,
        final String value)
    {
        out.append(String.format("  @%-4d %-28s %-18s = %s%n", offset, name, type, value));
    }

    /** Prints each field the decoder walks; group entries and composites prefix their members' names. */
    private static final class Lines extends AbstractTokenListener
    {
        private final StringBuilder out;
        private String groupPrefix = "";
        private String composite;
        private String compositeType;
        private long hi;

        Lines(final StringBuilder out)
        {
            this.out = out;
        }

        @Override
        public void onBeginComposite(final Token fieldToken, final List<Token> tokens, final int fromIndex, final int toIndex)
        {
            composite = fieldToken.name();
            compositeType = tokens.get(fromIndex).name();
        }

        @Override
        public void onEndComposite(final Token fieldToken, final List<Token> tokens, final int fromIndex, final int toIndex)
        {
            composite = null;
            compositeType = null;
        }

        @Override
        public void onEncoding(final Token fieldToken, final DirectBuffer buffer, final int index, final Token typeToken,
            final int actingVersion)
        {
            final Encoding encoding = typeToken.encoding();
            final String name = groupPrefix + (composite != null ? composite + "." + typeToken.name() : fieldToken.name());
            final int length = typeToken.arrayLength();
            if (encoding.primitiveType() == PrimitiveType.CHAR)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(index, bytes);
                line(out, index, name, "char[" + length + "]", chars(bytes));
                return;
            }
            if (length > 1 && encoding.primitiveType() == PrimitiveType.UINT8)
            {
                // A fixed byte array (BatchDeclare.memberDigest): every byte, in hex, in wire order.
                final byte[] bytes = new byte[length];
                buffer.getBytes(index, bytes);
                line(out, index, name, "uint8[" + length + "]", java.util.HexFormat.of().formatHex(bytes));
                return;
            }
            final long raw = integer(buffer, index, encoding.primitiveType());
            String value = unsigned(raw, encoding.primitiveType());
            if (encoding.presence() == Encoding.Presence.OPTIONAL && raw == encoding.applicableNullValue().longValue())
            {
                value = "null (absent; " + value + ")";
            }
            if ("RequestId".equals(compositeType))
            {
                value += String.format(" (0x%016x)", raw);
            }
            line(out, index, name, encoding.primitiveType().primitiveName(), value);
            if ("RequestId".equals(compositeType))
            {
                recordRequestId(typeToken.name(), raw, index);
            }
        }

        private void recordRequestId(final String part, final long raw, final int index)
        {
            if ("hi".equals(part))
            {
                hi = raw;
            }
            else
            {
                line(out, index - 8, groupPrefix + composite, "UUID form", new UUID(hi, raw).toString());
            }
        }

        @Override
        public void onEnum(final Token fieldToken, final DirectBuffer buffer, final int index, final List<Token> tokens,
            final int fromIndex, final int toIndex, final int actingVersion)
        {
            final Token typeToken = tokens.get(fromIndex);
            final long raw = integer(buffer, index, typeToken.encoding().primitiveType());
            String name = "(not a value of " + typeToken.name() + ")";
            for (int i = fromIndex + 1; i < toIndex; i++)
            {
                if (tokens.get(i).encoding().constValue().longValue() == raw)
                {
                    name = tokens.get(i).name();
                }
            }
            line(out, index, groupPrefix + fieldToken.name(), typeToken.name(), raw + " (" + name + ")");
        }

        @Override
        public void onGroupHeader(final Token token, final int numInGroup)
        {
            out.append(String.format("  %-34s %-18s = %d%n", groupPrefix + token.name() + ".numInGroup", "uint16",
                numInGroup));
        }

        @Override
        public void onBeginGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            groupPrefix = token.name() + "[" + groupIndex + "].";
        }

        @Override
        public void onEndGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            groupPrefix = "";
        }

        @Override
        public void onVarData(final Token fieldToken, final DirectBuffer buffer, final int index, final int length,
            final Token typeToken)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(index, bytes);
            final String encoding = typeToken.encoding().characterEncoding();
            final String kind = encoding == null ? "bytes" : "UTF-8".equals(encoding) ? "utf8" : "ascii";
            final String value;
            if (length == 0)
            {
                value = "(absent: length 0)";
            }
            else if (encoding == null)
            {
                value = "0x" + HEX.formatHex(bytes);
            }
            else
            {
                value = "\"" + new String(bytes, StandardCharsets.UTF_8) + "\"" + codePoints(bytes);
            }
            line(out, index - 2, groupPrefix + fieldToken.name(), "uint16 + " + length + " " + kind, value);
        }

        /** Non-ASCII text also as code points, so a reader sees what the bytes are whatever the font. */
        private static String codePoints(final byte[] bytes)
        {
            final String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.chars().allMatch(c -> c < 0x80))
            {
                return "";
            }
            final StringBuilder points = new StringBuilder(" (");
            text.codePoints().forEach(cp -> points.append(points.length() > 2 ? " " : "")
                .append(String.format("U+%04X", cp)));
            return points.append(')').toString();
        }

        private static String chars(final byte[] bytes)
        {
            int used = 0;
            while (used < bytes.length && bytes[used] != 0)
            {
                used++;
            }
            return used == 0 ? "(absent: all NUL)" : "\"" + new String(bytes, 0, used, StandardCharsets.US_ASCII) + "\"";
        }

        private static long integer(final DirectBuffer buffer, final int index, final PrimitiveType type)
        {
            switch (type)
            {
                case UINT8: return buffer.getByte(index) & 0xFFL;
                case INT8: return buffer.getByte(index);
                case UINT16: return buffer.getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFFL;
                case INT16: return buffer.getShort(index, ByteOrder.LITTLE_ENDIAN);
                case UINT32: return buffer.getInt(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFFFFFFL;
                case INT32: return buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
                case UINT64:
                case INT64: return buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
                default: throw new IllegalArgumentException("type " + type + " is not in the Chukei schema");
            }
        }

        private static String unsigned(final long raw, final PrimitiveType type)
        {
            return type == PrimitiveType.UINT64 ? Long.toUnsignedString(raw) : Long.toString(raw);
        }
    }
}
