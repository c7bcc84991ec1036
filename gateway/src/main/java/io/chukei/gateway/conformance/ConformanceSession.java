package io.chukei.gateway.conformance;

import io.chukei.gateway.tls.MunicipalityIdentity;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One connector connection to one of the conformance relay's listeners: Hello/Welcome, heartbeats while idle, and
 * every Submit and StatusQuery handed to the script. A {@linkplain #silence() silenced} session behaves like a hung
 * node: it sends nothing and acts on nothing, while TCP stays up.
 */
final class ConformanceSession extends ChannelInboundHandlerAdapter
{
    private final ConformanceScript script;
    private final ListenerNode node;
    private final MessageReader reader = new MessageReader();
    private ChannelHandlerContext ctx;
    private RelayFrames frames;
    private long sessionId;
    private int helloVersion = -1;
    private boolean silent;
    private long lastReadNs;
    private long stalledAtLastReadNs;

    ConformanceSession(final ConformanceScript script, final ListenerNode node)
    {
        this.script = script;
        this.node = node;
    }

    ListenerNode node()
    {
        return node;
    }

    long sessionId()
    {
        return sessionId;
    }

    int helloVersion()
    {
        return helloVersion;
    }

    RelayFrames frames()
    {
        return frames;
    }

    /** Open, not silenced: what is written reaches the connector. */
    boolean writable()
    {
        return ctx != null && ctx.channel().isActive() && !silent;
    }

    void silence()
    {
        silent = true;
    }

    void close()
    {
        ctx.close();
    }

    /** GoAway naming the other node, then the connection closed (§4: the relay closes after it). */
    void goAway(final ErrorCode code, final String detail)
    {
        if (writable())
        {
            frames.goAway(code, script.nodes(), detail).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.frames = new RelayFrames(ctx.channel(), node.nodeId());
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf message = (ByteBuf)msg;
        try
        {
            checkSilenceOfConnector();
            if (silent)
            {
                return;
            }
            final ErrorCode problem = reader.wrap(message);
            if (problem != ErrorCode.NO_ERROR)
            {
                script.note("node " + node.nodeId() + " could not read a message of the connector: " + problem +
                    " (" + reader.problem() + "); the conformance relay checks behaviour, a node checks encoding");
                return;
            }
            dispatch(reader.templateId());
        }
        finally
        {
            message.release();
        }
    }

    private void dispatch(final int templateId)
    {
        if (templateId == HelloDecoder.TEMPLATE_ID)
        {
            hello(reader.hello());
        }
        else if (sessionId == 0)
        {
            frames.rejected(new UUID(0, 0), ErrorCode.HELLO_REQUIRED, FieldId.NONE, -1,
                "the first message of a session must be Hello (rule: HELLO_REQUIRED)");
        }
        else if (templateId == SubmitDecoder.TEMPLATE_ID)
        {
            script.submit(SubmitCopy.of(reader.submit(), reader.buffer(), reader.length(), this));
        }
        else if (templateId == StatusQueryDecoder.TEMPLATE_ID)
        {
            final StatusQueryDecoder query = reader.statusQuery();
            script.statusQuery(this, new UUID(query.requestId().hi(), query.requestId().lo()));
        }
        else if (templateId != HeartbeatDecoder.TEMPLATE_ID)
        {
            script.note("node " + node.nodeId() + " got template " + templateId + ", which a connector does not send");
        }
    }

    private void hello(final HelloDecoder hello)
    {
        if (sessionId != 0)
        {
            return;
        }
        helloVersion = reader.version();
        final String municipality = hello.municipalityCode();
        final MunicipalityIdentity identity = MunicipalityIdentity.of(ctx.pipeline().get(SslHandler.class));
        if (!identity.isPresent() || !identity.municipalityCode().equals(municipality))
        {
            script.note("a Hello said municipality '" + municipality + "' but the certificate says " + identity +
                ": GoAway MUNICIPALITY_NOT_AUTHORIZED");
            frames.goAway(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, script.nodes(), "Hello municipality " + municipality +
                " is not the certificate's").addListener(ChannelFutureListener.CLOSE);
            return;
        }
        sessionId = script.nextSessionId();
        final long heartbeatMs = script.settings().heartbeatIntervalMs();
        ctx.pipeline().addFirst(new IdleStateHandler(0, heartbeatMs, 0, TimeUnit.MILLISECONDS));
        frames.welcome(sessionId, heartbeatMs, script.nodes());
        lastReadNs = System.nanoTime();
        stalledAtLastReadNs = script.stalls().stalledNs();
    }

    /** A real relay closes a connection that sent nothing for missedHeartbeats intervals; here it is noted. */
    private void checkSilenceOfConnector()
    {
        if (sessionId != 0)
        {
            final long gapMs = script.stalls().netMsSince(lastReadNs, stalledAtLastReadNs);
            if (gapMs > script.settings().relaySilenceLimitMs())
            {
                script.heartbeatGap(this, gapMs);
            }
        }
        lastReadNs = System.nanoTime();
        stalledAtLastReadNs = script.stalls().stalledNs();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent && writable())
        {
            frames.heartbeat();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        script.sessionClosed(this);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A connector's TLS or transport failure ends its connection; the script judges what it does next.
        ctx.close();
    }
}
