package io.chukei.gateway.fuzz;

import java.util.EnumSet;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.chukei.protocol.codec.MessageProblem;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BatchDeclareDecoder;
import io.chukei.protocol.sbe.BatchStatusQueryDecoder;
import io.chukei.protocol.sbe.BatchStatusReplyDecoder;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The SBE message reader on any bytes (one frame's SBE part: Submit, StatusQuery, Hello and every other
 * template): it answers with one of its documented codes and names the part at fault, and a message it
 * accepts can be read field by field, variable-length data and groups included, without reading past the
 * frame (an enum field with an unknown value stops the reading: enum values are the validator's to check); a message from a newer version it accepts is rewritten to this version and still accepted.
 *
 * <p>Seeds: {@code src/test/resources/io/chukei/gateway/fuzz/MessageReaderFuzzTestInputs/}.
 */
public class MessageReaderFuzzTest
{
    /** What {@link MessageReader#wrap} may answer (protocol/README.md, "Errors"). */
    static final Set<ErrorCode> DOCUMENTED = EnumSet.of(ErrorCode.NO_ERROR, ErrorCode.FRAME_TOO_SHORT,
        ErrorCode.UNSUPPORTED_SCHEMA, ErrorCode.UNKNOWN_TEMPLATE, ErrorCode.MALFORMED_MESSAGE);

    private static final MessageReader READER = new MessageReader();

    @FuzzTest(maxDuration = "5s")
    void messageReader(final byte[] data)
    {
        fuzzerTestOneInput(data);
    }

    /** The entry point of {@code ops/chukei fuzz} (Jazzer's command line). */
    public static void fuzzerTestOneInput(final byte[] data)
    {
        LeakWatch.input();
        // Exactly the frame's bytes, nothing after them: a read past the end must fail, not see zeros.
        final ByteBuf message = Unpooled.buffer(data.length, data.length).writeBytes(data);
        try
        {
            final ErrorCode code = READER.wrap(message);
            if (!DOCUMENTED.contains(code))
            {
                throw new AssertionError("undocumented answer " + code);
            }
            if (code != ErrorCode.NO_ERROR)
            {
                if (READER.problem().part() == MessageProblem.Part.NONE || READER.problem().detail().isEmpty())
                {
                    throw new AssertionError(code + " without the part at fault: " + READER.problem().detail());
                }
                return;
            }
            try
            {
                readEveryField(READER);
            }
            catch (final IllegalArgumentException ex)
            {
                // The reader checks structure, not enum values: an unknown one is the validator's INVALID_ENUM_VALUE,
                // and the generated enum getters throw on it, so the node reads enums only after validation.
                if (ex.getMessage() == null || !ex.getMessage().startsWith("Unknown value"))
                {
                    throw ex;
                }
            }
            final int templateId = READER.templateId();
            if (READER.toThisVersion(message) && READER.templateId() != templateId)
            {
                throw new AssertionError("rewriting to this version changed the template");
            }
        }
        finally
        {
            message.release();
        }
    }

    /** Reads every field of the accepted message through its decoder (what a relay or connector may do). */
    static void readEveryField(final MessageReader reader)
    {
        final StringBuilder text = new StringBuilder(256);
        switch (reader.templateId())
        {
            case HelloDecoder.TEMPLATE_ID -> reader.hello().appendTo(text);
            case WelcomeDecoder.TEMPLATE_ID -> reader.welcome().appendTo(text);
            case SubmitDecoder.TEMPLATE_ID -> reader.submit().appendTo(text);
            case AcceptedDecoder.TEMPLATE_ID -> reader.accepted().appendTo(text);
            case ResultDecoder.TEMPLATE_ID -> reader.result().appendTo(text);
            case RejectedDecoder.TEMPLATE_ID -> reader.rejected().appendTo(text);
            case RedirectDecoder.TEMPLATE_ID -> reader.redirect().appendTo(text);
            case GoAwayDecoder.TEMPLATE_ID -> reader.goAway().appendTo(text);
            case StatusQueryDecoder.TEMPLATE_ID -> reader.statusQuery().appendTo(text);
            case StatusReplyDecoder.TEMPLATE_ID -> reader.statusReply().appendTo(text);
            case HeartbeatDecoder.TEMPLATE_ID -> reader.heartbeat().appendTo(text);
            case ClusterViewDecoder.TEMPLATE_ID -> reader.clusterView().appendTo(text);
            case ForwardDecoder.TEMPLATE_ID -> reader.forward().appendTo(text);
            case OutcomeDecoder.TEMPLATE_ID -> reader.outcome().appendTo(text);
            case BatchDeclareDecoder.TEMPLATE_ID -> reader.batchDeclare().appendTo(text);
            case BatchStatusQueryDecoder.TEMPLATE_ID -> reader.batchStatusQuery().appendTo(text);
            case BatchStatusReplyDecoder.TEMPLATE_ID -> reader.batchStatusReply().appendTo(text);
            default -> throw new AssertionError("accepted an unknown template " + reader.templateId());
        }
    }
}
