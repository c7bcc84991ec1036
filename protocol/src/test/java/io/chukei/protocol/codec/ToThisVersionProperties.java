package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;

import static io.chukei.protocol.testing.ReshapedMessages.asNewerVersion;
import static org.assertj.core.api.Assertions.assertThat;

class ToThisVersionProperties
{
    private final MessageReader reader = new MessageReader();

    @Property(tries = 300)
    void whateverANewerSenderAddsTheRewrittenSubmitIsThisVersionsEncoding(
        @ForAll @IntRange(min = 0, max = 120) final int extraBlock,
        @ForAll @IntRange(min = -1, max = 2_000) final int appendedField,
        @ForAll @StringLength(max = 40) @Chars({'東', '京', '都', '1', '－'}) final String address,
        @ForAll @Size(max = 256) final byte[] pinBlock)
    {
        final byte[] canonical = SubmitBytes.certChange(3, 4, address, pinBlock);
        final byte[] newer = asNewerVersion(canonical, extraBlock, appendedField);
        final ByteBuf whole = Unpooled.directBuffer(newer.length + 8).writeZero(8).writeBytes(newer);
        try
        {
            final ByteBuf message = whole.slice(8, newer.length);

            assertThat(reader.wrap(message)).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(reader.toThisVersion(message)).isTrue();

            assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
        }
        finally
        {
            whole.release();
        }
    }
}
