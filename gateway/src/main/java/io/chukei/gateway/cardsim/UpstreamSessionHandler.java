package io.chukei.gateway.cardsim;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrameException;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ForwardDecoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.text.SafeText;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * One relay connection to one {@link UpstreamEndpoint}: reads Forward and Heartbeat messages (after {@link
 * io.chukei.protocol.framing.SofhFrameDecoder}) and hands them to the {@link CardService}.
 * Anything else, or a malformed message, is counted and dropped: card management does not
 * lecture the relay. A frame stream that has lost its framing is closed.
 */
final class UpstreamSessionHandler extends SimpleChannelInboundHandler<ByteBuf>
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSessionHandler.class);

    private final CardService service;
    private final UpstreamEndpoint endpoint;
    private final CardSimStats stats;
    private final MessageReader reader = new MessageReader();
    private final MessageReader submitReader = new MessageReader();
    private final UnsafeBuffer submitView = new UnsafeBuffer(0, 0);
    private boolean malformedLogged;

    UpstreamSessionHandler(final CardService service, final UpstreamEndpoint endpoint, final CardSimStats stats)
    {
        this.service = service;
        this.endpoint = endpoint;
        this.stats = stats;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        service.register(ctx.channel(), endpoint);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf message)
    {
        final ErrorCode error = reader.wrap(message);
        if (error != ErrorCode.NO_ERROR)
        {
            malformed(ctx, error.name());
            return;
        }
        switch (reader.templateId())
        {
            case ForwardDecoder.TEMPLATE_ID:
                service.forward(toRequest(ctx, reader.forward()));
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                service.heartbeat(ctx.channel(), endpoint);
                break;
            default:
                malformed(ctx, "unexpected template " + reader.templateId());
                break;
        }
    }

    private ForwardRequest toRequest(final ChannelHandlerContext ctx, final ForwardDecoder forward)
    {
        // Schema order: fixed fields first, then the submit var-data.
        final UUID requestId = new UUID(forward.requestId().hi(), forward.requestId().lo());
        final int nodeId = forward.nodeId();
        final String municipality = ledgerSafe(forward.municipalityCode());
        final short operationRaw = forward.operationRaw();
        final int forwardAttempt = forward.forwardAttempt();
        forward.wrapSubmit(submitView);
        final Verdict verdict = Verdict.judge(operationRaw, submitReader, submitView);
        final long batchId = batchIdOf(submitView);
        submitView.wrap(0, 0);
        return new ForwardRequest(ctx.channel(), endpoint, requestId, nodeId, municipality, operationRaw, forwardAttempt, verdict,
            batchId);
    }

    /** The Submit's batch id (the relay checked the Submit), or {@link RecordFaults#NO_BATCH}. */
    private static long batchIdOf(final org.agrona.DirectBuffer submit)
    {
        final int at = io.chukei.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH +
            io.chukei.protocol.sbe.SubmitDecoder.batchIdEncodingOffset();
        if (submit.capacity() < at + Long.BYTES)
        {
            return RecordFaults.NO_BATCH;
        }
        final long batchId = submit.getLong(at, java.nio.ByteOrder.LITTLE_ENDIAN);
        return batchId == io.chukei.protocol.sbe.SubmitDecoder.batchIdNullValue() ? RecordFaults.NO_BATCH : batchId;
    }

    /** Keeps the ledger's CSV intact whatever the relay sent: anything but letters and digits becomes '?'. */
    private static String ledgerSafe(final String municipality)
    {
        for (int i = 0; i < municipality.length(); i++)
        {
            if (!isSafe(municipality.charAt(i)))
            {
                final StringBuilder safe = new StringBuilder(municipality.length());
                for (int j = 0; j < municipality.length(); j++)
                {
                    final char c = municipality.charAt(j);
                    safe.append(isSafe(c) ? c : '?');
                }
                return safe.toString();
            }
        }
        return municipality;
    }

    private static boolean isSafe(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private void malformed(final ChannelHandlerContext ctx, final String what)
    {
        stats.malformed.incrementAndGet();
        if (!malformedLogged)
        {
            // Once per connection: a broken peer must not flood the log.
            malformedLogged = true;
            LOG.warn("{}: dropped a message ({}); further ones are only counted", ctx.channel().remoteAddress(), what);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof SofhFrameException frameError)
        {
            malformed(ctx, frameError.getMessage());
            if (frameError.isFatal())
            {
                ctx.close();
            }
            return;
        }
        if (cause.getCause() instanceof javax.net.ssl.SSLException)
        {
            // A failed handshake: refused certificates are already logged (rate-limited) and counted by the
            // listener's PeerPolicy; a line per attempt here would let any client flood the log.
            LOG.debug("{}: closing after {}", ctx.channel().remoteAddress(), SafeText.of(cause.toString()));
            ctx.close();
            return;
        }
        LOG.warn("{}: closing after {}", ctx.channel().remoteAddress(), SafeText.of(cause.toString()));
        ctx.close();
    }
}
