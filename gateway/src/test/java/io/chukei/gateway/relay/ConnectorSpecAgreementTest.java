package io.chukei.gateway.relay;

import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The points where a connector written from protocol/README.md alone found the relay and the spec
 * apart (issue 16): each test pins what the spec now says the relay does.
 */
class ConnectorSpecAgreementTest
{
    /** The harness node's connector.heartbeatIntervalMs. */
    private static final long NODE_HEARTBEAT_MS = 5_000;

    @TempDir
    Path journalDirectory;

    private SessionHarness session;

    @BeforeEach
    void openHarness()
    {
        session = new SessionHarness(journalDirectory, 16);
    }

    @AfterEach
    void everyFrameIsReleased()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 100, 60_000, 0xFFFF_FFFFL})
    void theHellosProposedHeartbeatIntervalIsIgnoredAndWelcomeSaysTheNodes(final long proposed)
    {
        session.handshake();

        session.send(session.hello(SessionHarness.MUNICIPALITY, proposed, ascii("vendor/product/1.0")));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        assertThat(reply.welcome().heartbeatIntervalMs()).isEqualTo(NODE_HEARTBEAT_MS);
    }

    @Test
    void aConnectorNameWithALineFeedIsRefusedAtItsPositionAndACorrectedHelloOpensTheSession()
    {
        session.handshake();

        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, ascii("vendor\nINFO forged")));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.TEXT_CONTROL_CHARACTER);
        assertThat(rejected.field()).isEqualTo(FieldId.CONNECTOR_NAME);
        assertThat(rejected.position()).isEqualTo(6);
        assertThat(rejected.codePoint()).isEqualTo(0x0A);
        assertThat(rejected.detail()).isEqualTo("connectorName: control character U+000A at byte 6 (expected: " +
            "printable ASCII, U+0020..U+007E) (rule: TEXT_CONTROL_CHARACTER)");

        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, ascii("vendor/product/1.0")));
        assertThat(session.nextReply().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
    }

    @Test
    void aConnectorNameWithANulOrAnEscapeIsRefused()
    {
        session.handshake();

        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, new byte[] {'v', 0}));
        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, new byte[] {0x1B, '[', '2', 'J'}));

        assertThat(rejected(session.nextReply()).position()).isEqualTo(1);
        final RejectedDecoder escape = rejected(session.nextReply());
        assertThat(escape.code()).isEqualTo(ErrorCode.TEXT_CONTROL_CHARACTER);
        assertThat(escape.codePoint()).isEqualTo(0x1B);
    }

    @Test
    void aUtf8ConnectorNameIsRefusedAtItsFirstNonAsciiByte()
    {
        session.handshake();

        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, "ベンダー/1.0".getBytes(StandardCharsets.UTF_8)));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(rejected.field()).isEqualTo(FieldId.CONNECTOR_NAME);
        assertThat(rejected.position()).isEqualTo(0);
        assertThat(rejected.detail()).isEqualTo("connectorName: byte 0xE3 at byte 0 is not ASCII (expected: printable " +
            "ASCII, U+0020..U+007E) (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void aConnectorNameOfTwoThousandBytesIsRefusedAsTooLong()
    {
        session.handshake();
        final byte[] name = new byte[2000];
        Arrays.fill(name, (byte)'a');

        session.send(session.hello(SessionHarness.MUNICIPALITY, 400, name));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_LENGTH);
        assertThat(rejected.field()).isEqualTo(FieldId.CONNECTOR_NAME);
        assertThat(rejected.detail()).isEqualTo("connectorName: 2000 bytes (expected: at most 64 bytes of printable " +
            "ASCII) (rule: INVALID_LENGTH)");
    }

    @Test
    void aResendWithItsOriginalPassedDeadlineGetsTheStoredAnswer()
    {
        session.open();
        session.send(session.cardStatus(1));
        assertThat(session.nextReply().templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);

        // Pending: the resend with a deadline already past is the same request, answered as a resend.
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(-1), true));
        final Reply pending = session.nextReply();
        assertThat(pending.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        assertThat(pending.accepted().alreadyKnown()).isEqualTo(BooleanType.TRUE);

        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", new byte[0]);
        assertThat(session.nextReply().templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);

        // Finished: the stored Result, not DEADLINE_ALREADY_PASSED.
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(-1), true));
        final Reply stored = session.nextReply();
        assertThat(stored.templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        assertThat(stored.result().detail()).isEqualTo("applied");
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void aNewIdWithAPassedDeadlineIsStillRefused()
    {
        session.open();

        session.send(session.cardStatus(2, SessionHarness.CARD_ID, Duration.ofSeconds(-1), false));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_ALREADY_PASSED);
        assertThat(rejected.requestId().lo()).isEqualTo(2);
    }

    @Test
    void aStatusQueryForAnUnknownIdGetsStatusReplyUnknownNotARejection()
    {
        session.open();

        session.send(session.statusQuery(99));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(StatusReplyDecoder.TEMPLATE_ID);
        assertThat(reply.statusReply().state()).isEqualTo(RequestState.UNKNOWN);
        assertThat(reply.statusReply().journalPosition()).isEqualTo(-1);
        assertThat(reply.statusReply().requestId().lo()).isEqualTo(99);
    }

    @Test
    void aShorterBlockFromASenderOfThisVersionIsRejectedNamingTheRequestAndTheBlockLength()
    {
        session.open();
        final byte[] submit = sbePart(session.cardStatus(3));
        submit[0] = 81;   // blockLength, little-endian: one byte short of the Submit's 82

        session.send(frame(submit));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(rejected.requestId().hi()).isEqualTo(SessionHarness.idHi());
        assertThat(rejected.requestId().lo()).isEqualTo(3);
        assertThat(rejected.field()).isEqualTo(FieldId.MESSAGE_HEADER);
        assertThat(rejected.detail()).startsWith("blockLength: 81 (expected: 82, Submit's block in schema version " +
            MessageReader.SCHEMA_VERSION);
    }

    @Test
    void aLittleEndianFrameLengthIsAnsweredWithGoAwayAndTheConnectionClosed()
    {
        session.open();
        final ByteBuf submit = session.cardStatus(4);
        final int length = submit.getInt(0);
        submit.setIntLE(0, length);

        session.send(submit);

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
        final GoAwayDecoder goAway = reply.goAway();
        assertThat(goAway.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        for (final GoAwayDecoder.NodesDecoder node : goAway.nodes())
        {
            node.address();   // var data is read in order: the detail comes after the node list
        }
        assertThat(goAway.detail()).contains("read little-endian it would be " + length);
        assertThat(session.channelOpen()).isFalse();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sbePart(final ByteBuf frame)
    {
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
