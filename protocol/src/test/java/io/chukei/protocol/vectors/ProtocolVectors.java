package io.chukei.protocol.vectors;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewEncoder;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.ForwardEncoder;
import io.chukei.protocol.sbe.GoAwayEncoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloEncoder;
import org.agrona.sbe.MessageEncoderFlyweight;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.BatchDeclareEncoder;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.BatchStatusQueryEncoder;
import io.chukei.protocol.sbe.BatchStatusReplyEncoder;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.RedirectEncoder;
import io.chukei.protocol.sbe.RejectedEncoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.StatusReplyEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The published test vectors, built with the generated encoders exactly as the relay and the
 * SDK build frames. Every value is fixed, so the bytes change only when the schema or the codecs do.
 */
final class ProtocolVectors
{
    /** The request id of the worked example in protocol/README.md (§4, RequestId). */
    static final UUID REQUEST_ID = UUID.fromString("0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f");
    static final UUID BATCH_REQUEST_ID = UUID.fromString("0190c6a8-52e5-7000-8000-00000000000a");
    static final UUID NAME_REQUEST_ID = UUID.fromString("0190c6a8-52e6-7abc-bdef-0123456789ab");
    private static final String MUNICIPALITY = "131016";
    private static final long DEADLINE = 1_767_225_610_000L;    // 2026-01-01T00:00:10Z
    private static final long NOW = 1_767_225_600_000L;         // 2026-01-01T00:00:00Z

    record Vector(String name, String description, byte[] frame)
    {
    }

    private final FrameWriter writer = new FrameWriter();
    private final List<Vector> vectors = new ArrayList<>();

    static List<Vector> all()
    {
        return new ProtocolVectors().build();
    }

    private List<Vector> build()
    {
        final HelloEncoder hello = new HelloEncoder();
        add("hello", "Hello: the first message; a proposed heartbeat interval of 400 ms, an ASCII connector name",
            hello, e -> e.municipalityCode(MUNICIPALITY).heartbeatIntervalMs(400).connectorName("example-vendor/connector/1.0"));

        final WelcomeEncoder welcome = new WelcomeEncoder();
        add("welcome", "Welcome: node 1, a cluster view of three nodes (a group with var-length addresses)", welcome, e ->
        {
            e.nodeId(1).sessionId(42).heartbeatIntervalMs(400).maxFrameLength(65_536).maxInFlight(4096)
                .durability(Durability.SYNC);
            final WelcomeEncoder.NodesEncoder nodes = e.nodesCount(3);
            nodes.next().nodeId(1).state(NodeState.ACTIVE).address("relay1.example:7400");
            nodes.next().nodeId(2).state(NodeState.SUSPECT).address("relay2.example:7400");
            nodes.next().nodeId(3).state(NodeState.ACTIVE).address("127.0.0.1:7400");
        });

        final SubmitEncoder submit = new SubmitEncoder();
        add("submit-card-status", "Submit, first send: CARD_STATUS by card id; absent optionals (batch fields null, " +
            "char fields all NUL, var fields length 0)", submit, e -> submit(e, REQUEST_ID, Operation.CARD_STATUS,
            Priority.INTERACTIVE, BooleanType.FALSE, 1, DEADLINE)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue()).personalNumber("").residentCode("").dateOfBirth("")
            .nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("")
            .putPinBlock(new byte[0], 0, 0));
        add("submit-card-status-resend", "Submit, the same request resent (after a lost connection): same id and " +
            "content, possibleDuplicate TRUE, attempt 2, a fresh deadline", submit, e -> submit(e, REQUEST_ID,
            Operation.CARD_STATUS, Priority.INTERACTIVE, BooleanType.TRUE, 2, DEADLINE + 5_000)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue()).personalNumber("").residentCode("").dateOfBirth("")
            .nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("")
            .putPinBlock(new byte[0], 0, 0));
        add("submit-preissue-batch-member", "Submit: PREISSUE_SETUP, member 3 of a batch of 10 (BATCH priority), " +
            "UTF-8 names with a variant ideograph outside the BMP", submit, e -> submit(e, BATCH_REQUEST_ID,
            Operation.PREISSUE_SETUP, Priority.BATCH, BooleanType.FALSE, 1, DEADLINE)
            .batchId(7).batchSequence(3).batchSize(10).personalNumber("123456789018").residentCode("12345678901")
            .dateOfBirth("19800101").nameKanji("𠮷田花子").nameKana("よしだはなこ").address("東京都千代田区千代田1番1号")
            .cardId("").applicationId("12345678901234567890123").putPinBlock(new byte[0], 0, 0));
        add("submit-cert-change-variation-sequence", "Submit: CERT_CHANGE with 髙 U+9AD9 and 葛 + U+E0100 (a " +
            "registered ideographic variation sequence) in nameKanji, and a PIN block", submit, e -> submit(e,
            NAME_REQUEST_ID, Operation.CERT_CHANGE, Priority.INTERACTIVE, BooleanType.FALSE, 1, DEADLINE)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue()).personalNumber("123456789018").residentCode("")
            .dateOfBirth("").nameKanji("髙橋葛\uDB40\uDD00").nameKana("").address("大阪府大阪市北区１－１")
            .cardId("100000000001").applicationId("").putPinBlock(new byte[] {0x12, 0x34, (byte)0xAB, (byte)0xCD}, 0, 4));

        final StatusQueryEncoder query = new StatusQueryEncoder();
        add("status-query", "StatusQuery for a request id of the session's municipality", query, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.municipalityCode(MUNICIPALITY);
        });

        final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        add("heartbeat", "Heartbeat (either side; a connector sends ACTIVE)", heartbeat,
            e -> e.timestampEpochMs(NOW).nodeState(NodeState.ACTIVE));

        final AcceptedEncoder accepted = new AcceptedEncoder();
        add("accepted", "Accepted: journaled at SYNC, first time this id was seen", accepted, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).journalPosition(4_294_967_297L).durability(Durability.SYNC).alreadyKnown(BooleanType.FALSE);
        });
        add("accepted-already-known", "Accepted for a resend of a pending request: alreadyKnown TRUE", accepted, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).journalPosition(4_294_967_297L).durability(Durability.SYNC).alreadyKnown(BooleanType.TRUE);
        });

        final ResultEncoder result = new ResultEncoder();
        add("result-ok", "Result OK with a UTF-8 detail and an opaque payload", result, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).status(OutcomeStatus.OK).upstreamCode(0).completedEpochMs(NOW + 120).detail("有効")
                .putPayload(new byte[] {0x01, 0x02}, 0, 2);
        });

        final RejectedEncoder rejected = new RejectedEncoder();
        add("rejected-text", "Rejected for a readable Submit: TEXT_OUTSIDE_REPERTOIRE with position and code point; " +
            "retryAfterMs null", rejected, e ->
        {
            e.requestId().hi(NAME_REQUEST_ID.getMostSignificantBits()).lo(NAME_REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).code(ErrorCode.TEXT_OUTSIDE_REPERTOIRE).field(FieldId.NAME_KANJI).position(0).codePoint(0xFF76)
                .retryAfterMs(RejectedEncoder.retryAfterMsNullValue())
                .detail("nameKanji: U+FF76 at byte 0 is outside the repertoire japanese-names (send its compatibility " +
                    "equivalent U+30AB KATAKANA LETTER KA instead) (rule: TEXT_OUTSIDE_REPERTOIRE)");
        });
        add("rejected-rate-limited", "Rejected RATE_LIMITED: position and codePoint null, retryAfterMs set", rejected, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).code(ErrorCode.RATE_LIMITED).field(FieldId.MUNICIPALITY_CODE)
                .position(RejectedEncoder.positionNullValue()).codePoint(RejectedEncoder.codePointNullValue())
                .retryAfterMs(75).detail("municipalityCode: 131016 is over its rate of 20 requests/s (expected: a " +
                    "resend after retryAfterMs) (rule: RATE_LIMITED)");
        });
        add("rejected-frame", "Rejected about no request (request id all zero): a frame over maxFrameLength", rejected, e ->
        {
            e.requestId().hi(0).lo(0);
            e.nodeId(1).code(ErrorCode.FRAME_TOO_LARGE).field(FieldId.FRAME)
                .position(RejectedEncoder.positionNullValue()).codePoint(RejectedEncoder.codePointNullValue())
                .retryAfterMs(RejectedEncoder.retryAfterMsNullValue())
                .detail("frame length: 70000 (expected: <= 65536) (rule: FRAME_TOO_LARGE)");
        });

        final RedirectEncoder redirect = new RedirectEncoder();
        add("redirect", "Redirect: the node is DRAINING; two nodes to go to", redirect, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.nodeId(1).state(NodeState.DRAINING);
            final RedirectEncoder.NodesEncoder nodes = e.nodesCount(2);
            nodes.next().nodeId(2).state(NodeState.ACTIVE).address("relay2.example:7400");
            nodes.next().nodeId(3).state(NodeState.ACTIVE).address("relay3.example:7400");
        });

        final GoAwayEncoder goAway = new GoAwayEncoder();
        add("go-away", "GoAway HEARTBEAT_TIMEOUT: retryAfterMs null, an empty node group, a detail", goAway, e ->
        {
            e.nodeId(1).code(ErrorCode.HEARTBEAT_TIMEOUT).retryAfterMs(GoAwayEncoder.retryAfterMsNullValue());
            e.nodesCount(0);
            e.detail("no message or heartbeat from the connector within the idle timeout");
        });

        final StatusReplyEncoder reply = new StatusReplyEncoder();
        add("status-reply-unknown", "StatusReply for an id this node does not know: UNKNOWN, journalPosition -1",
            reply, e ->
            {
                e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
                e.nodeId(1).state(RequestState.UNKNOWN).journalPosition(-1);
            });

        final BatchDeclareEncoder declare = new BatchDeclareEncoder();
        add("batch-declare", "BatchDeclare (version 3): batch 7 of 10 members, memberDigest = SHA-256 over the ten " +
            "16-byte wire ids of sequences 1..10 (here the ids 0190c6a8-52e5-7000-8000-00000000000N, N = sequence in hex)",
            declare, e -> e.batchId(7).municipalityCode(MUNICIPALITY).batchSize(10).putMemberDigest(exampleDigest(), 0, 32));

        final BatchStatusQueryEncoder batchQuery = new BatchStatusQueryEncoder();
        add("batch-status-query", "BatchStatusQuery (version 3): batch 7 from its first sequence", batchQuery,
            e -> e.batchId(7).municipalityCode(MUNICIPALITY).fromSequence(1));

        final BatchStatusReplyEncoder batchReply = new BatchStatusReplyEncoder();
        add("batch-status-reply-open", "BatchStatusReply (version 3): batch 7 OPEN on node 1 — 1..7 completed OK, " +
            "8 accepted, 9 never seen, 10 rejected; nextSequence null (no more ranges); detail absent", batchReply, e ->
        {
            e.batchId(7).nodeId(1).code(ErrorCode.NO_ERROR).field(FieldId.NONE).batchState(BatchState.OPEN).batchSize(10)
                .accepted(1).completedOk(7).completedRefused(0).rejected(1).outcomeUnknown(0).neverSeen(1)
                .digestCheck(DigestCheck.NOT_CHECKED).lastMemberEpochMs(NOW + 500)
                .nextSequence(BatchStatusReplyEncoder.nextSequenceNullValue());
            final BatchStatusReplyEncoder.RangesEncoder ranges = e.rangesCount(4);
            ranges.next().firstSequence(1).length(7).state(BatchMemberState.COMPLETED_OK);
            ranges.next().firstSequence(8).length(1).state(BatchMemberState.ACCEPTED);
            ranges.next().firstSequence(9).length(1).state(BatchMemberState.NEVER_SEEN);
            ranges.next().firstSequence(10).length(1).state(BatchMemberState.REJECTED);
            e.detail("");
        });
        add("batch-status-reply-refused", "BatchStatusReply (version 3) refusing a BatchDeclare: BATCH_CONFLICT on " +
            "batchSize, no counts, an empty range group, a detail", batchReply, e ->
        {
            e.batchId(7).nodeId(1).code(ErrorCode.BATCH_CONFLICT).field(FieldId.BATCH_SIZE).batchState(BatchState.OPEN)
                .batchSize(10).accepted(0).completedOk(0).completedRefused(0).rejected(0).outcomeUnknown(0).neverSeen(0)
                .digestCheck(DigestCheck.NOT_CHECKED).lastMemberEpochMs(0)
                .nextSequence(BatchStatusReplyEncoder.nextSequenceNullValue());
            e.rangesCount(0);
            e.detail("batchSize: 11 (expected: 10, the size batch 7 was declared with) (rule: BATCH_CONFLICT)");
        });

        final ClusterViewEncoder view = new ClusterViewEncoder();
        add("cluster-view", "ClusterView pushed when node 2 became SUSPECT", view, e ->
        {
            e.nodeId(1);
            final ClusterViewEncoder.NodesEncoder nodes = e.nodesCount(2);
            nodes.next().nodeId(1).state(NodeState.ACTIVE).address("relay1.example:7400");
            nodes.next().nodeId(2).state(NodeState.SUSPECT).address("relay2.example:7400");
        });

        final byte[] forwarded = sbePart(vectors.get(2).frame());
        final ForwardEncoder forward = new ForwardEncoder();
        add("forward", "Forward (relay → card management) carrying the submit-card-status Submit, SBE header and body",
            forward, e ->
            {
                e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
                e.nodeId(1).municipalityCode(MUNICIPALITY).operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
                    .possibleDuplicate(BooleanType.FALSE).forwardAttempt(1).deadlineEpochMs(DEADLINE)
                    .putSubmit(forwarded, 0, forwarded.length);
            });

        final OutcomeEncoder outcome = new OutcomeEncoder();
        add("outcome", "Outcome (card management → relay), schema version 1: municipalityCode echoed", outcome, e ->
        {
            e.requestId().hi(REQUEST_ID.getMostSignificantBits()).lo(REQUEST_ID.getLeastSignificantBits());
            e.status(OutcomeStatus.OK).upstreamCode(0).duplicate(BooleanType.FALSE).municipalityCode(MUNICIPALITY)
                .detail("").putPayload(new byte[] {0x01}, 0, 1);
        });
        return vectors;
    }

    private static SubmitEncoder submit(final SubmitEncoder e, final UUID id, final Operation operation,
        final Priority priority, final BooleanType possibleDuplicate, final int attempt, final long deadline)
    {
        e.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
        return e.municipalityCode(MUNICIPALITY).operation(operation).priority(priority)
            .possibleDuplicate(possibleDuplicate).attempt(attempt).deadlineEpochMs(deadline);
    }

    private <T extends MessageEncoderFlyweight> void add(final String name, final String description, final T encoder,
        final Consumer<T> fields)
    {
        final ByteBuf buffer = Unpooled.buffer(1024);
        try
        {
            fields.accept(writer.begin(buffer, encoder, 1000));
            writer.finish(encoder);
            final byte[] frame = new byte[buffer.readableBytes()];
            buffer.readBytes(frame);
            vectors.add(new Vector(name, description, frame));
        }
        finally
        {
            buffer.release();
        }
    }

    /** SHA-256 over the wire ids (hi, lo little-endian) of 0190c6a8-52e5-7000-8000-00000000000N, N = 1..10. */
    private static byte[] exampleDigest()
    {
        try
        {
            final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            final java.nio.ByteBuffer id = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int sequence = 1; sequence <= 10; sequence++)
            {
                id.clear();
                id.putLong(BATCH_REQUEST_ID.getMostSignificantBits()).putLong(0x8000_0000_0000_0000L | sequence);
                sha.update(id.array());
            }
            return sha.digest();
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] sbePart(final byte[] frame)
    {
        return Arrays.copyOfRange(frame, 6, frame.length);
    }
}
