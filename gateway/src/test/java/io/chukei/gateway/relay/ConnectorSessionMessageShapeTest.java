package io.chukei.gateway.relay;

import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.testing.ReshapedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submits shaped otherwise than this version writes them: a sender of this version must write this
 * version's block exactly, and is told which request and which part was wrong; a newer sender's
 * extra block bytes and appended fields never reach the journal or card management.
 */
class ConnectorSessionMessageShapeTest
{
    private static final int MAX_IN_FLIGHT = 16;

    @TempDir
    Path journalDirectory;

    private SessionHarness session;

    @BeforeEach
    void openSession()
    {
        session = new SessionHarness(journalDirectory, MAX_IN_FLIGHT);
    }

    @AfterEach
    void everyFrameIsReleased()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @Test
    void aLongerBlockFromASenderOfThisVersionIsRejectedNamingTheRequestAndTheBlockLength()
    {
        session.open();

        session.send(frame(ReshapedMessages.withLongerBlock(cardStatus(1), 8)));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(rejected.requestId().hi()).isEqualTo(SessionHarness.idHi());
        assertThat(rejected.requestId().lo()).isEqualTo(1);
        assertThat(rejected.field()).isEqualTo(FieldId.MESSAGE_HEADER);
        assertThat(rejected.detail()).startsWith("blockLength: 90 (expected: 82, Submit's block in schema version " + io.chukei.protocol.codec.MessageReader.SCHEMA_VERSION);
        assertThat(session.forwarded()).isEmpty();
        assertThat(session.journaled(1)).containsExactly(JournalEventType.REJECTED);
    }

    @Test
    void trailingBytesFromASenderOfThisVersionAreRejectedNamingTheRequestAndTheCount()
    {
        session.open();

        session.send(frame(ReshapedMessages.withTrailingBytes(cardStatus(2), 5)));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(rejected.requestId().lo()).isEqualTo(2);
        assertThat(rejected.field()).isEqualTo(FieldId.FRAME);
        assertThat(rejected.detail()).startsWith("Submit: 5 bytes after the last field");
    }

    @Test
    void aVarFieldRunningPastTheEndIsRejectedNamingIt()
    {
        session.open();
        final byte[] submit = cardStatus(3);
        // cardId's length prefix: the fourth var field, after three empty ones (2 bytes each).
        final int cardIdPrefix = 8 + 82 + 6;
        submit[cardIdPrefix] = (byte)200;

        session.send(frame(submit));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(rejected.requestId().lo()).isEqualTo(3);
        assertThat(rejected.field()).isEqualTo(FieldId.CARD_ID);
        assertThat(rejected.detail()).isEqualTo("Submit.cardId: length 200 at offset " + cardIdPrefix + " runs past the end " +
            "of the message (" + submit.length + " bytes) (rule: MALFORMED_MESSAGE)");
    }

    @Test
    void aSubmitOfAnotherSchemaIsRejectedWithItsRequestId()
    {
        session.open();
        final byte[] submit = cardStatus(4);
        submit[4] = (byte)0xE1;   // schema id 2017 (0x07E1, little-endian)

        session.send(frame(submit));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA);
        assertThat(rejected.requestId().lo()).isEqualTo(4);
        assertThat(rejected.detail()).isEqualTo("schemaId: 2017 (expected: 2016) (rule: UNSUPPORTED_SCHEMA)");
    }

    @Test
    void aSubmitBeforeHelloIsRefusedWithItsRequestId()
    {
        session.handshake();

        session.send(frame(cardStatus(5)));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.HELLO_REQUIRED);
        assertThat(rejected.requestId().lo()).isEqualTo(5);
    }

    @Test
    void aNewerSendersSubmitIsForwardedAsThisVersionDefinesIt()
    {
        session.open();
        final byte[] canonical = cardStatus(6);

        session.send(frame(ReshapedMessages.asNewerVersion(canonical, 8, 8192)));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        assertThat(session.forwarded()).hasSize(1);
        assertThat(ByteBufUtil.getBytes(session.forwarded().get(0).submit())).isEqualTo(canonical);
    }

    @Test
    void aNewerSendersResendWithOtherUnknownFieldsIsTheSameRequest()
    {
        session.open();
        final byte[] canonical = cardStatus(7);
        session.send(frame(ReshapedMessages.asNewerVersion(canonical, 8, 10)));
        assertThat(session.nextReply().templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);

        // What this version cannot see is not part of the request: not a REQUEST_ID_CONFLICT.
        session.send(frame(ReshapedMessages.asNewerVersion(canonical, 16, 99)));

        final Reply again = session.nextReply();
        assertThat(again.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        assertThat(again.accepted().alreadyKnown()).isEqualTo(io.chukei.protocol.sbe.BooleanType.TRUE);
        assertThat(session.forwarded()).hasSize(1);
    }

    /** The harness's valid CARD_STATUS as SBE bytes (header and body, no SOFH header). */
    private byte[] cardStatus(final long idLo)
    {
        final ByteBuf frame = session.cardStatus(idLo);
        try
        {
            return ByteBufUtil.getBytes(frame, SofhFrame.HEADER_LENGTH, frame.readableBytes() - SofhFrame.HEADER_LENGTH);
        }
        finally
        {
            frame.release();
        }
    }

    private static ByteBuf frame(final byte[] message)
    {
        final ByteBuf frame = Unpooled.buffer(SofhFrame.HEADER_LENGTH + message.length);
        frame.writeInt(SofhFrame.HEADER_LENGTH + message.length).writeShort(SofhFrame.SBE_LITTLE_ENDIAN).writeBytes(message);
        return frame;
    }

    private static RejectedDecoder rejected(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Rejected expected)").isEqualTo(RejectedDecoder.TEMPLATE_ID);
        return reply.rejected();
    }
}
