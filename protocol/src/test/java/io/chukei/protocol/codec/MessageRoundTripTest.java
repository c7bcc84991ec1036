package io.chukei.protocol.codec;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.framing.SofhFrameEncoder;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewEncoder;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.ForwardEncoder;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.GoAwayEncoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.RedirectEncoder;
import io.chukei.protocol.sbe.RejectedEncoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.StatusReplyEncoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Every message goes through FrameWriter, the SOFH decoder and MessageReader and comes out equal. */
class MessageRoundTripTest
{
    private static final int MAX_BODY = 4096;

    private final FrameWriter writer = new FrameWriter();
    private final MessageReader reader = new MessageReader();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH));
    private ByteBuf received;

    @AfterEach
    void release()
    {
        if (received != null)
        {
            assertThat(received.release()).isTrue();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void hello()
    {
        roundTrip(new HelloEncoder(), hello -> hello
            .municipalityCode("131016")
            .heartbeatIntervalMs(1000)
            .connectorName("vendor/product/1.0"));

        assertThat(reader.hello().municipalityCode()).isEqualTo("131016");
        assertThat(reader.hello().heartbeatIntervalMs()).isEqualTo(1000);
        assertThat(reader.hello().connectorName()).isEqualTo("vendor/product/1.0");
    }

    @Test
    void welcomeWithTheClusterView()
    {
        roundTrip(new WelcomeEncoder(), welcome ->
        {
            welcome.nodeId(2).sessionId(77L).heartbeatIntervalMs(500).maxFrameLength(65536).maxInFlight(256)
                .durability(Durability.SYNC);
            final WelcomeEncoder.NodesEncoder nodes = welcome.nodesCount(2);
            nodes.next().nodeId(1).state(NodeState.ACTIVE).address("127.0.0.1:7401");
            nodes.next().nodeId(2).state(NodeState.DRAINING).address("127.0.0.1:7402");
        });

        final WelcomeDecoder welcome = reader.welcome();
        assertThat(welcome.nodeId()).isEqualTo(2);
        assertThat(welcome.sessionId()).isEqualTo(77L);
        assertThat(welcome.heartbeatIntervalMs()).isEqualTo(500);
        assertThat(welcome.maxFrameLength()).isEqualTo(65536);
        assertThat(welcome.maxInFlight()).isEqualTo(256);
        assertThat(welcome.durability()).isEqualTo(Durability.SYNC);
        final WelcomeDecoder.NodesDecoder nodes = welcome.nodes();
        assertThat(nodes.count()).isEqualTo(2);
        assertThat(nodes.next().nodeId()).isEqualTo(1);
        assertThat(nodes.state()).isEqualTo(NodeState.ACTIVE);
        assertThat(nodes.address()).isEqualTo("127.0.0.1:7401");
        assertThat(nodes.next().nodeId()).isEqualTo(2);
        assertThat(nodes.state()).isEqualTo(NodeState.DRAINING);
        assertThat(nodes.address()).isEqualTo("127.0.0.1:7402");
    }

    @Test
    void submitWithEveryField()
    {
        final byte[] pinBlock = {1, 2, 3, 4, 5, 6, 7, 8};
        roundTrip(new SubmitEncoder(), submit -> fullSubmit(submit, pinBlock));

        final SubmitDecoder submit = reader.submit();
        assertThat(submit.requestId().hi()).isEqualTo(0x0190c6a852e47b31L);
        assertThat(submit.requestId().lo()).isEqualTo(0x9a553f0e2c4d5e6fL);
        assertThat(submit.municipalityCode()).isEqualTo("422011");
        assertThat(submit.operation()).isEqualTo(Operation.PREISSUE_SETUP);
        assertThat(submit.priority()).isEqualTo(Priority.BATCH);
        assertThat(submit.possibleDuplicate()).isEqualTo(BooleanType.TRUE);
        assertThat(submit.attempt()).isEqualTo(3);
        assertThat(submit.deadlineEpochMs()).isEqualTo(1_790_000_000_000L);
        assertThat(submit.batchId()).isEqualTo(99L);
        assertThat(submit.batchSequence()).isEqualTo(5L);
        assertThat(submit.batchSize()).isEqualTo(10L);
        assertThat(submit.personalNumber()).isEqualTo("123456789018");
        assertThat(submit.residentCode()).isEqualTo("12345678901");
        assertThat(submit.dateOfBirth()).isEqualTo("19800101");
        assertThat(submit.nameKanji()).isEqualTo("髙橋 葛󠄀子");
        assertThat(submit.nameKana()).isEqualTo("タカハシ カツコ");
        assertThat(submit.address()).isEqualTo("東京都千代田区千代田１－１");
        assertThat(submit.cardId()).isEqualTo("123456789012");
        assertThat(submit.applicationId()).isEqualTo("12345678901234567890123");
        final byte[] pin = new byte[submit.pinBlockLength()];
        submit.getPinBlock(pin, 0, pin.length);
        assertThat(pin).isEqualTo(pinBlock);
    }

    @Test
    void submitOutsideABatchCarriesNullBatchFields()
    {
        roundTrip(new SubmitEncoder(), submit ->
        {
            submit.requestId().hi(1).lo(2);
            submit.municipalityCode("131016").operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
                .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(1L)
                .batchId(SubmitEncoder.batchIdNullValue())
                .batchSequence(SubmitEncoder.batchSequenceNullValue())
                .batchSize(SubmitEncoder.batchSizeNullValue());
            submit.nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("");
            submit.putPinBlock(new byte[0], 0, 0);
        });

        final SubmitDecoder submit = reader.submit();
        assertThat(submit.batchId()).isEqualTo(SubmitDecoder.batchIdNullValue());
        assertThat(submit.batchSequence()).isEqualTo(SubmitDecoder.batchSequenceNullValue());
        assertThat(submit.personalNumber()).isEmpty();
        assertThat(submit.personalNumber(0)).isZero();
    }

    @Test
    void accepted()
    {
        roundTrip(new AcceptedEncoder(), accepted ->
        {
            accepted.requestId().hi(5).lo(6);
            accepted.nodeId(3).journalPosition(123_456_789L).durability(Durability.PROCESS)
                .alreadyKnown(BooleanType.TRUE);
        });

        assertThat(reader.accepted().requestId().lo()).isEqualTo(6);
        assertThat(reader.accepted().nodeId()).isEqualTo(3);
        assertThat(reader.accepted().journalPosition()).isEqualTo(123_456_789L);
        assertThat(reader.accepted().durability()).isEqualTo(Durability.PROCESS);
        assertThat(reader.accepted().alreadyKnown()).isEqualTo(BooleanType.TRUE);
    }

    @Test
    void acceptedFromANodeWithTheJournalOffSaysNone()
    {
        roundTrip(new AcceptedEncoder(), accepted ->
        {
            accepted.requestId().hi(5).lo(6);
            accepted.nodeId(3).journalPosition(1L).durability(Durability.NONE).alreadyKnown(BooleanType.FALSE);
        });

        assertThat(reader.accepted().durability()).isEqualTo(Durability.NONE);
        assertThat(Durability.NONE.value()).isZero();
    }

    @Test
    void result()
    {
        roundTrip(new ResultEncoder(), result ->
        {
            result.requestId().hi(7).lo(8);
            result.nodeId(1).status(OutcomeStatus.REFUSED).upstreamCode(4711).completedEpochMs(42L);
            result.detail("カードが見つかりません").putPayload(new byte[] {9, 9}, 0, 2);
        });

        assertThat(reader.result().requestId().hi()).isEqualTo(7);
        assertThat(reader.result().status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(reader.result().upstreamCode()).isEqualTo(4711);
        assertThat(reader.result().completedEpochMs()).isEqualTo(42L);
        assertThat(reader.result().detail()).isEqualTo("カードが見つかりません");
        assertThat(reader.result().payloadLength()).isEqualTo(2);
    }

    @Test
    void rejectedNamesFieldPositionAndCodePoint()
    {
        roundTrip(new RejectedEncoder(), rejected ->
        {
            rejected.requestId().hi(1).lo(1);
            rejected.nodeId(2).code(ErrorCode.TEXT_BIDI_CONTROL).field(FieldId.ADDRESS).position(12).codePoint(0x202E)
                .retryAfterMs(RejectedEncoder.retryAfterMsNullValue());
            rejected.detail("address: U+202E at byte 12 is a bidi control");
        });

        assertThat(reader.rejected().code()).isEqualTo(ErrorCode.TEXT_BIDI_CONTROL);
        assertThat(reader.rejected().field()).isEqualTo(FieldId.ADDRESS);
        assertThat(reader.rejected().position()).isEqualTo(12);
        assertThat(reader.rejected().codePoint()).isEqualTo(0x202E);
        assertThat(reader.rejected().retryAfterMs()).isEqualTo(RejectedEncoder.retryAfterMsNullValue());
        assertThat(reader.rejected().detail()).isEqualTo("address: U+202E at byte 12 is a bidi control");
    }

    @Test
    void redirect()
    {
        roundTrip(new RedirectEncoder(), redirect ->
        {
            redirect.requestId().hi(3).lo(4);
            redirect.nodeId(2).state(NodeState.ISOLATED);
            redirect.nodesCount(1).next().nodeId(1).state(NodeState.ACTIVE).address("127.0.0.1:7401");
        });

        assertThat(reader.redirect().state()).isEqualTo(NodeState.ISOLATED);
        assertThat(reader.redirect().nodes().next().address()).isEqualTo("127.0.0.1:7401");
    }

    @Test
    void goAway()
    {
        roundTrip(new GoAwayEncoder(), goAway ->
        {
            goAway.nodeId(2).code(ErrorCode.NODE_UNAVAILABLE).retryAfterMs(250);
            goAway.nodesCount(1).next().nodeId(3).state(NodeState.ACTIVE).address("127.0.0.1:7403");
            goAway.detail("node 2 is draining");
        });

        assertThat(reader.goAway().code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
        assertThat(reader.goAway().retryAfterMs()).isEqualTo(250);
        final GoAwayDecoder.NodesDecoder nodes = reader.goAway().nodes();
        assertThat(nodes.next().nodeId()).isEqualTo(3);
        // SBE reads in schema order: a group's variable-length fields before what follows the group.
        assertThat(nodes.address()).isEqualTo("127.0.0.1:7403");
        assertThat(reader.goAway().detail()).isEqualTo("node 2 is draining");
    }

    @Test
    void statusQueryAndReply()
    {
        roundTrip(new StatusQueryEncoder(), query ->
        {
            query.requestId().hi(11).lo(12);
            query.municipalityCode("011002");
        });
        assertThat(reader.statusQuery().requestId().lo()).isEqualTo(12);
        assertThat(reader.statusQuery().municipalityCode()).isEqualTo("011002");
        received.release();

        roundTrip(new StatusReplyEncoder(), reply ->
        {
            reply.requestId().hi(11).lo(12);
            reply.nodeId(1).state(RequestState.FORWARDED).journalPosition(99L);
        });
        assertThat(reader.statusReply().state()).isEqualTo(RequestState.FORWARDED);
        assertThat(reader.statusReply().journalPosition()).isEqualTo(99L);
    }

    @Test
    void heartbeat()
    {
        roundTrip(new HeartbeatEncoder(), heartbeat -> heartbeat.timestampEpochMs(1234L).nodeState(NodeState.SUSPECT));

        assertThat(reader.heartbeat().timestampEpochMs()).isEqualTo(1234L);
        assertThat(reader.heartbeat().nodeState()).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void clusterView()
    {
        roundTrip(new ClusterViewEncoder(), view ->
        {
            view.nodeId(1);
            final ClusterViewEncoder.NodesEncoder nodes = view.nodesCount(3);
            for (int i = 1; i <= 3; i++)
            {
                nodes.next().nodeId(i).state(NodeState.ACTIVE).address("127.0.0.1:740" + i);
            }
        });

        assertThat(reader.clusterView().nodes().count()).isEqualTo(3);
    }

    @Test
    void aClusterViewWhoseGroupEntriesAreShorterThanTheirFieldsIsRefusedNotReadPastTheFrame()
    {
        final ByteBuf wire = Unpooled.directBuffer();
        final ClusterViewEncoder view = writer.begin(wire, new ClusterViewEncoder(), MAX_BODY);
        view.nodeId(1);
        view.nodesCount(1).next().nodeId(1).state(NodeState.ACTIVE).address("127.0.0.1:7401");
        writer.finish(view);
        // The group's entry block length (uint16 after the SOFH and message headers and the root block), made 1:
        // what the fuzzer found a hostile node could send a connector.
        final int groupAt = SofhFrame.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + ClusterViewEncoder.BLOCK_LENGTH;
        wire.setShortLE(groupAt, 1);

        assertThat(channel.writeInbound(wire)).isTrue();
        received = channel.readInbound();
        assertThat(reader.wrap(received)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    @Test
    void forwardCarriesTheSubmitExactlyAsReceived()
    {
        final UnsafeBuffer submitBytes = new UnsafeBuffer(new byte[MAX_BODY]);
        final SubmitEncoder submit = new SubmitEncoder().wrapAndApplyHeader(submitBytes, 0, new MessageHeaderEncoder());
        fullSubmit(submit, new byte[] {1});
        final int submitLength = MessageHeaderEncoder.ENCODED_LENGTH + submit.encodedLength();

        roundTrip(new ForwardEncoder(), forward ->
        {
            forward.requestId().hi(0x0190c6a852e47b31L).lo(0x9a553f0e2c4d5e6fL);
            forward.nodeId(2).municipalityCode("422011").operation(Operation.PREISSUE_SETUP).priority(Priority.BATCH)
                .possibleDuplicate(BooleanType.TRUE).forwardAttempt(2).deadlineEpochMs(5L);
            forward.putSubmit(submitBytes, 0, submitLength);
        });

        assertThat(reader.forward().possibleDuplicate()).isEqualTo(BooleanType.TRUE);
        assertThat(reader.forward().forwardAttempt()).isEqualTo(2);
        final byte[] embedded = new byte[reader.forward().submitLength()];
        reader.forward().getSubmit(embedded, 0, embedded.length);
        final byte[] original = new byte[submitLength];
        submitBytes.getBytes(0, original);
        assertThat(embedded).isEqualTo(original);
    }

    @Test
    void outcome()
    {
        roundTrip(new OutcomeEncoder(), outcome ->
        {
            outcome.requestId().hi(1).lo(2);
            outcome.status(OutcomeStatus.OK).upstreamCode(0).duplicate(BooleanType.TRUE);
            outcome.detail("already applied").putPayload(new byte[0], 0, 0);
        });

        assertThat(reader.outcome().duplicate()).isEqualTo(BooleanType.TRUE);
        assertThat(reader.outcome().detail()).isEqualTo("already applied");
    }

    @Test
    void theEncoderHandlerFramesABodyExactlyAsFrameWriterDoes()
    {
        final ByteBuf viaWriter = Unpooled.buffer();
        final HeartbeatEncoder heartbeat = writer.begin(viaWriter, new HeartbeatEncoder(), 64);
        heartbeat.timestampEpochMs(77L).nodeState(NodeState.ACTIVE);
        writer.finish(heartbeat);

        final ByteBuf body = Unpooled.buffer(64);
        final UnsafeBuffer view = new UnsafeBuffer(body.array());
        final HeartbeatEncoder plain = new HeartbeatEncoder().wrapAndApplyHeader(view, 0, new MessageHeaderEncoder());
        plain.timestampEpochMs(77L).nodeState(NodeState.ACTIVE);
        body.writerIndex(MessageHeaderEncoder.ENCODED_LENGTH + plain.encodedLength());

        final EmbeddedChannel out = new EmbeddedChannel(new SofhFrameEncoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH));
        assertThat(out.writeOutbound(body)).isTrue();
        final ByteBuf header = out.readOutbound();
        final ByteBuf payload = out.readOutbound();
        final ByteBuf viaHandler = Unpooled.wrappedBuffer(header, payload);

        assertThat(ByteBufUtil.equals(viaHandler, viaWriter)).isTrue();
        viaHandler.release();
        viaWriter.release();
        assertThat(out.finish()).isFalse();
    }

    private <T extends MessageEncoderFlyweight> void roundTrip(final T encoder, final Consumer<T> fill)
    {
        final ByteBuf wire = Unpooled.directBuffer();
        fill.accept(writer.begin(wire, encoder, MAX_BODY));
        final int frameLength = writer.finish(encoder);
        assertThat(wire.readableBytes()).isEqualTo(frameLength);
        assertThat(wire.getInt(0)).isEqualTo(frameLength);

        assertThat(channel.writeInbound(wire)).isTrue();
        received = channel.readInbound();
        assertThat(received.readableBytes()).isEqualTo(frameLength - SofhFrame.HEADER_LENGTH);
        assertThat(reader.wrap(received)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.templateId()).isEqualTo(encoder.sbeTemplateId());
    }

    private static void fullSubmit(final SubmitEncoder submit, final byte[] pinBlock)
    {
        submit.requestId().hi(0x0190c6a852e47b31L).lo(0x9a553f0e2c4d5e6fL);
        submit.municipalityCode("422011")
            .operation(Operation.PREISSUE_SETUP)
            .priority(Priority.BATCH)
            .possibleDuplicate(BooleanType.TRUE)
            .attempt(3)
            .deadlineEpochMs(1_790_000_000_000L)
            .batchId(99L)
            .batchSequence(5L)
            .batchSize(10L)
            .personalNumber("123456789018")
            .residentCode("12345678901")
            .dateOfBirth("19800101");
        submit.nameKanji("髙橋 葛\uDB40\uDD00子")
            .nameKana("タカハシ カツコ")
            .address("東京都千代田区千代田１－１")
            .cardId("123456789012")
            .applicationId("12345678901234567890123");
        submit.putPinBlock(pinBlock, 0, pinBlock.length);
    }
}
