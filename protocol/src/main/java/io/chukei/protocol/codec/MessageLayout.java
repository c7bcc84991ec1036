package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BatchDeclareDecoder;
import io.chukei.protocol.sbe.BatchStatusQueryDecoder;
import io.chukei.protocol.sbe.BatchStatusReplyDecoder;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.ForwardDecoder;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;

/**
 * What {@link MessageReader} needs to name the part of a malformed message: each template's
 * name, whether it has repeating groups, and its variable-length fields in wire order with the
 * {@link FieldId} an error about them carries. {@code MessageLayoutTest} checks this table
 * against the schema file, so a field added there and not here fails the build.
 */
record MessageLayout(String name, int blockLength, boolean hasGroups, String[] varNames, FieldId[] varFields)
{
    private static final String[] NONE = new String[0];
    private static final FieldId[] NO_FIELDS = new FieldId[0];

    private static final MessageLayout HELLO = new MessageLayout("Hello", HelloDecoder.BLOCK_LENGTH, false,
        new String[] {"connectorName"}, new FieldId[] {FieldId.CONNECTOR_NAME});
    private static final MessageLayout WELCOME = withGroups("Welcome", WelcomeDecoder.BLOCK_LENGTH);
    private static final MessageLayout SUBMIT = new MessageLayout("Submit", SubmitDecoder.BLOCK_LENGTH, false,
        new String[] {"nameKanji", "nameKana", "address", "cardId", "applicationId", "pinBlock"},
        new FieldId[] {FieldId.NAME_KANJI, FieldId.NAME_KANA, FieldId.ADDRESS, FieldId.CARD_ID, FieldId.APPLICATION_ID,
            FieldId.PIN_BLOCK});
    private static final MessageLayout ACCEPTED = fixed("Accepted", AcceptedDecoder.BLOCK_LENGTH);
    private static final MessageLayout RESULT = unnamedVar("Result", ResultDecoder.BLOCK_LENGTH, "detail", "payload");
    private static final MessageLayout REJECTED = unnamedVar("Rejected", RejectedDecoder.BLOCK_LENGTH, "detail");
    private static final MessageLayout REDIRECT = withGroups("Redirect", RedirectDecoder.BLOCK_LENGTH);
    private static final MessageLayout GO_AWAY = withGroups("GoAway", GoAwayDecoder.BLOCK_LENGTH);
    private static final MessageLayout STATUS_QUERY = fixed("StatusQuery", StatusQueryDecoder.BLOCK_LENGTH);
    private static final MessageLayout STATUS_REPLY = fixed("StatusReply", StatusReplyDecoder.BLOCK_LENGTH);
    private static final MessageLayout HEARTBEAT = fixed("Heartbeat", HeartbeatDecoder.BLOCK_LENGTH);
    private static final MessageLayout CLUSTER_VIEW = withGroups("ClusterView", ClusterViewDecoder.BLOCK_LENGTH);
    private static final MessageLayout BATCH_DECLARE = fixed("BatchDeclare", BatchDeclareDecoder.BLOCK_LENGTH);
    private static final MessageLayout BATCH_STATUS_QUERY = fixed("BatchStatusQuery", BatchStatusQueryDecoder.BLOCK_LENGTH);
    private static final MessageLayout BATCH_STATUS_REPLY = withGroups("BatchStatusReply", BatchStatusReplyDecoder.BLOCK_LENGTH);
    private static final MessageLayout FORWARD = unnamedVar("Forward", ForwardDecoder.BLOCK_LENGTH, "submit");
    private static final MessageLayout OUTCOME = unnamedVar("Outcome", OutcomeDecoder.BLOCK_LENGTH, "detail", "payload");

    /** The layout of {@code templateId}, or null for a template the schema does not define. */
    static MessageLayout of(final int templateId)
    {
        switch (templateId)
        {
            case HelloDecoder.TEMPLATE_ID: return HELLO;
            case WelcomeDecoder.TEMPLATE_ID: return WELCOME;
            case SubmitDecoder.TEMPLATE_ID: return SUBMIT;
            case AcceptedDecoder.TEMPLATE_ID: return ACCEPTED;
            case ResultDecoder.TEMPLATE_ID: return RESULT;
            case RejectedDecoder.TEMPLATE_ID: return REJECTED;
            case RedirectDecoder.TEMPLATE_ID: return REDIRECT;
            case GoAwayDecoder.TEMPLATE_ID: return GO_AWAY;
            case StatusQueryDecoder.TEMPLATE_ID: return STATUS_QUERY;
            case StatusReplyDecoder.TEMPLATE_ID: return STATUS_REPLY;
            case HeartbeatDecoder.TEMPLATE_ID: return HEARTBEAT;
            case ClusterViewDecoder.TEMPLATE_ID: return CLUSTER_VIEW;
            case BatchDeclareDecoder.TEMPLATE_ID: return BATCH_DECLARE;
            case BatchStatusQueryDecoder.TEMPLATE_ID: return BATCH_STATUS_QUERY;
            case BatchStatusReplyDecoder.TEMPLATE_ID: return BATCH_STATUS_REPLY;
            case ForwardDecoder.TEMPLATE_ID: return FORWARD;
            case OutcomeDecoder.TEMPLATE_ID: return OUTCOME;
            default: return null;
        }
    }

    /** The largest fixed block of any template: what {@link MessageReader} may move when it rewrites a message. */
    static int maxBlockLength()
    {
        int max = 0;
        for (int templateId = 0; templateId < 64; templateId++)
        {
            final MessageLayout layout = of(templateId);
            max = layout == null ? max : Math.max(max, layout.blockLength());
        }
        return max;
    }

    private static MessageLayout fixed(final String name, final int blockLength)
    {
        return new MessageLayout(name, blockLength, false, NONE, NO_FIELDS);
    }

    /**
     * The block length of one entry of the message's repeating group (every message with groups has one, right after
     * its block: {@code nodes}, or BatchStatusReply's {@code ranges}), or 0 for a message without groups.
     */
    static int groupEntryBlockLength(final int templateId)
    {
        return switch (templateId)
        {
            case WelcomeDecoder.TEMPLATE_ID -> WelcomeDecoder.NodesDecoder.sbeBlockLength();
            case RedirectDecoder.TEMPLATE_ID -> RedirectDecoder.NodesDecoder.sbeBlockLength();
            case GoAwayDecoder.TEMPLATE_ID -> GoAwayDecoder.NodesDecoder.sbeBlockLength();
            case ClusterViewDecoder.TEMPLATE_ID -> ClusterViewDecoder.NodesDecoder.sbeBlockLength();
            case BatchStatusReplyDecoder.TEMPLATE_ID -> BatchStatusReplyDecoder.RangesDecoder.sbeBlockLength();
            default -> 0;
        };
    }

    private static MessageLayout withGroups(final String name, final int blockLength)
    {
        return new MessageLayout(name, blockLength, true, NONE, NO_FIELDS);
    }

    /** Var fields of messages a connector never sends: no {@link FieldId} of their own. */
    private static MessageLayout unnamedVar(final String name, final int blockLength, final String... varNames)
    {
        final FieldId[] fields = new FieldId[varNames.length];
        java.util.Arrays.fill(fields, FieldId.NONE);
        return new MessageLayout(name, blockLength, false, varNames, fields);
    }
}
