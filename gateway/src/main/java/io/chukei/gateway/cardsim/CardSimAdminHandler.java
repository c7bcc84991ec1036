package io.chukei.gateway.cardsim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The simulator's admin HTTP endpoint:
 * <pre>
 * GET  /faults                                         the switches (JSON)
 * POST /faults?errorRate=0.1&amp;slowMs=200&amp;slowFraction=0.5 set the given switches, keep the others
 * POST /stall?seconds=5                                stall everything for 5 s (decimals allowed)
 * POST /faults/clear                                   every switch off, stall ended
 * GET  /stats                                          counters (JSON)
 * GET  /ledger                                         "requestId appliedCount" per line (text)
 * </pre>
 * A bad parameter gets 400 with a message naming it and the expected range.
 */
@ChannelHandler.Sharable
final class CardSimAdminHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final CardSimFaults faults;
    private final CardSimStats stats;
    private final Path ledgerFile;

    CardSimAdminHandler(final CardSimFaults faults, final CardSimStats stats, final Path ledgerFile)
    {
        this.faults = faults;
        this.stats = stats;
        this.ledgerFile = ledgerFile;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        FullHttpResponse response;
        try
        {
            response = route(ctx, request.method(), query.path(), query.parameters());
        }
        catch (final IllegalArgumentException ex)
        {
            response = respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, ex.getMessage() + "\n");
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            ctx.writeAndFlush(response);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(
        final ChannelHandlerContext ctx, final HttpMethod method, final String path, final Map<String, List<String>> parameters)
    {
        switch (path)
        {
            case "/faults":
                if (HttpMethod.POST.equals(method))
                {
                    setFaults(parameters);
                }
                else if (!HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET, POST");
                }
                return respond(ctx, HttpResponseStatus.OK, JSON, faults.toJson());
            case "/faults/clear":
                if (!HttpMethod.POST.equals(method))
                {
                    return notAllowed(ctx, "POST");
                }
                faults.clear();
                return respond(ctx, HttpResponseStatus.OK, JSON, faults.toJson());
            case "/stall":
                if (!HttpMethod.POST.equals(method))
                {
                    return notAllowed(ctx, "POST");
                }
                final double seconds = number(parameters, "seconds", Double.NaN);
                if (!(seconds > 0) || seconds > 86_400)
                {
                    throw new IllegalArgumentException("seconds: " + first(parameters, "seconds") + " (expected: 0 < seconds <= 86400)");
                }
                faults.stall(Duration.ofNanos((long)(seconds * 1e9)));
                return respond(ctx, HttpResponseStatus.OK, JSON,
                    "{\"stalledForMs\":" + (long)(seconds * 1000) + "}");
            case "/stats":
                if (!HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET");
                }
                return respond(ctx, HttpResponseStatus.OK, JSON, stats.snapshot().toJson());
            case "/ledger":
                if (!HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET");
                }
                return respond(ctx, HttpResponseStatus.OK, TEXT, ledgerText());
            default:
                return respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT,
                    "no such resource: " + path + " (expected: /faults, /faults/clear, /stall, /stats, /ledger)\n");
        }
    }

    private void setFaults(final Map<String, List<String>> parameters)
    {
        for (final String name : parameters.keySet())
        {
            if (!name.equals("errorRate") && !name.equals("slowMs") && !name.equals("slowFraction"))
            {
                throw new IllegalArgumentException("parameter: " + name + " (expected: errorRate, slowMs, slowFraction)");
            }
        }
        // Validate everything before switching anything, so a bad request changes nothing.
        final double errorRate = number(parameters, "errorRate", faults.errorRate());
        final double slowMs = number(parameters, "slowMs", faults.slowMs());
        final double slowFraction = number(parameters, "slowFraction",
            parameters.containsKey("slowMs") && !parameters.containsKey("slowFraction") ? 1.0 : faults.slowFraction());
        if (slowMs != Math.rint(slowMs) || slowMs < 0)
        {
            throw new IllegalArgumentException("slowMs: " + first(parameters, "slowMs") + " (expected: a whole number >= 0)");
        }
        if (!(errorRate >= 0 && errorRate <= 1))
        {
            throw new IllegalArgumentException("errorRate: " + first(parameters, "errorRate") + " (expected: 0.0..1.0)");
        }
        if (!(slowFraction >= 0 && slowFraction <= 1))
        {
            throw new IllegalArgumentException("slowFraction: " + first(parameters, "slowFraction") + " (expected: 0.0..1.0)");
        }
        faults.slowResponses((long)slowMs, slowFraction);
        faults.errorRate(errorRate);
    }

    private String ledgerText()
    {
        final StringBuilder text = new StringBuilder();
        final Map<UUID, Integer> counts = new TreeMap<>(Ledger.appliedCounts(ledgerFile));
        counts.forEach((id, count) -> text.append(id).append(' ').append(count).append('\n'));
        return text.toString();
    }

    private static double number(final Map<String, List<String>> parameters, final String name, final double fallback)
    {
        final String value = first(parameters, name);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a number)", ex);
        }
    }

    private static String first(final Map<String, List<String>> parameters, final String name)
    {
        final List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static FullHttpResponse notAllowed(final ChannelHandlerContext ctx, final String allowed)
    {
        final FullHttpResponse response = respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT,
            "method not allowed (expected: " + allowed + ")\n");
        response.headers().set(HttpHeaderNames.ALLOW, allowed);
        return response;
    }

    private static FullHttpResponse respond(
        final ChannelHandlerContext ctx, final HttpResponseStatus status, final String contentType, final String body)
    {
        final ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
