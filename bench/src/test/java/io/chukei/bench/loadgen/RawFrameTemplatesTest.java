package io.chukei.bench.loadgen;

import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates copied and patched per send decode as the SDK's own frame of the same request with that id, municipality and deadline. */
class RawFrameTemplatesTest
{
    private static final OperationMix.Entry STATUS = new OperationMix.Entry(Operation.CARD_STATUS, Priority.INTERACTIVE, 60);
    private static final OperationMix.Entry SETUP = new OperationMix.Entry(Operation.PREISSUE_SETUP, Priority.BATCH, 10);

    private final RequestFactory requests = new RequestFactory(7, Duration.ofSeconds(10), 1, 0, 1);
    private final RawFrameTemplates templates = new RawFrameTemplates(List.of(STATUS, SETUP), requests);
    private final MessageReader reader = new MessageReader();
    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release()
    {
        out.release();
        templates.release();
    }

    @Test
    void aPatchedTemplateIsTheRequestWithItsIdMunicipalityAndDeadline()
    {
        final int template = RawFrameTemplates.template(1, 4095);

        templates.append(out, template, 0x0123_4567_89AB_7CDEL, 0x8000_0000_0000_002AL, RawFrameTemplates.municipalityBytes("422011"),
            1_796_000_123_456L);

        final SubmitRequest request = requests.pooled(SETUP, 4095);
        final SubmitDecoder submit = decode(out);
        assertThat(submit.requestId().hi()).isEqualTo(0x0123_4567_89AB_7CDEL);
        assertThat(submit.requestId().lo()).isEqualTo(0x8000_0000_0000_002AL);
        assertThat(submit.municipalityCode()).isEqualTo("422011");
        assertThat(submit.deadlineEpochMs()).isEqualTo(1_796_000_123_456L);
        assertThat(submit.operation()).isEqualTo(Operation.PREISSUE_SETUP);
        assertThat(submit.priority()).isEqualTo(Priority.BATCH);
        assertThat(submit.attempt()).isEqualTo(1);
        assertThat(submit.possibleDuplicate()).isEqualTo(BooleanType.FALSE);
        assertThat(submit.personalNumber()).isEqualTo(request.personalNumber());
        assertThat(submit.nameKanji()).isEqualTo(request.nameKanji());
        assertThat(out.isReadable()).isFalse();
    }

    @Test
    void framesAppendedToOneBufferStayWholeAndSeparate()
    {
        final byte[] municipality = RawFrameTemplates.municipalityBytes("131016");

        templates.append(out, RawFrameTemplates.template(0, 0), 1, 2, municipality, 10);
        templates.append(out, RawFrameTemplates.template(1, 1), 1, 3, municipality, 11);
        templates.append(out, RawFrameTemplates.template(0, 2), 1, 4, municipality, 12);

        assertThat(templates.count()).isEqualTo(2 * RequestFactory.POOL_SIZE);
        assertThat(decode(out).requestId().lo()).isEqualTo(2);
        assertThat(decode(out).operation()).isEqualTo(Operation.PREISSUE_SETUP);
        final SubmitDecoder third = decode(out);
        assertThat(third.requestId().lo()).isEqualTo(4);
        // Variable-length fields are read in schema order: the three before cardId first.
        third.nameKanji();
        third.nameKana();
        third.address();
        assertThat(third.cardId()).isEqualTo(requests.pooled(STATUS, 2).cardId());
        assertThat(out.isReadable()).isFalse();
    }

    @Test
    void aMunicipalityCodeOfAnotherLengthIsRefusedByName()
    {
        assertThatThrownBy(() -> RawFrameTemplates.municipalityBytes("13101"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'13101'").hasMessageContaining("6 characters");
    }

    /** Reads one SOFH frame off {@code buffer} and decodes it as the relay would. */
    private SubmitDecoder decode(final ByteBuf buffer)
    {
        final int length = buffer.getInt(buffer.readerIndex());
        final ByteBuf frame = buffer.readSlice(length);
        assertThat(length).isGreaterThan(SofhFrame.HEADER_LENGTH);
        assertThat(reader.wrap(frame.slice(SofhFrame.HEADER_LENGTH, length - SofhFrame.HEADER_LENGTH))).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.templateId()).isEqualTo(SubmitDecoder.TEMPLATE_ID);
        return reader.submit();
    }
}
