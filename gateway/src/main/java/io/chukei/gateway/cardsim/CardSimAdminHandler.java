package io.chukei.gateway.cardsim;

import io.chukei.protocol.text.SafeText;
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
 * GET  /faults                                         the switches (JSON), each endpoint's nested
 * POST /faults?errorRate=0.1&amp;slowMs=200&amp;slowFraction=0.5 set the given switches, keep the others
 * POST /stall?seconds=5                                stall every endpoint for 5 s (decimals allowed)
 * POST /faults/clear                                   every switch off (every endpoint's too), stalls ended
 * GET  /stats                                          counters (JSON), each endpoint's nested
 * GET  /ledger                                         "requestId appliedCount" per line (text)
 * GET  /export[?date=YYYY-MM-DD]                       card management's applied-request export (protocol/README.md)
 * POST /record-faults?loseOutcome=5&amp;ackWithoutApplyFraction=0.01   arm record faults ({@link RecordFaults})
 * GET  /record-faults                                  their state (JSON)
 * GET  /record-faults/affected                         "KIND municipality requestId [batchId]" per request hit (text)
 * </pre>
 * {@code /faults}, {@code /stall} and {@code /faults/clear} take an optional {@code endpoint=N}
 * (0-based, in port order): then they read or switch that endpoint's own switches only.
 * A bad parameter gets 400 with a message naming it and the expected range.
 */
@ChannelHandler.Sharable
final class CardSimAdminHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final CardSimFaults faults;
    private final RecordFaults recordFaults;
    private final CardSimStats stats;
    private final Path ledgerFile;

    CardSimAdminHandler(final CardSimFaults faults, final RecordFaults recordFaults, final CardSimStats stats,
        final Path ledgerFile)
    {
        this.faults = faults;
        this.recordFaults = recordFaults;
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
            response = respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, SafeText.of(ex.getMessage(), 2_000) + "\n");
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
            {
                if (!HttpMethod.POST.equals(method) && !HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET, POST");
                }
                final EndpointFaults endpoint = endpoint(parameters);
                if (HttpMethod.POST.equals(method))
                {
                    setFaults(parameters, endpoint);
                }
                return respond(ctx, HttpResponseStatus.OK, JSON, endpoint == null ? faults.toJson() : endpoint.toJson());
            }
            case "/faults/clear":
            {
                if (!HttpMethod.POST.equals(method))
                {
                    return notAllowed(ctx, "POST");
                }
                onlyParameters(parameters, "endpoint");
                final EndpointFaults endpoint = endpoint(parameters);
                if (endpoint == null)
                {
                    faults.clear();
                    recordFaults.clear();
                    return respond(ctx, HttpResponseStatus.OK, JSON, faults.toJson());
                }
                endpoint.clear();
                return respond(ctx, HttpResponseStatus.OK, JSON, endpoint.toJson());
            }
            case "/refuse":
            {
                if (!HttpMethod.POST.equals(method))
                {
                    return notAllowed(ctx, "POST");
                }
                onlyParameters(parameters, "operation");
                final String operation = first(parameters, "operation");
                if (operation == null)
                {
                    throw new IllegalArgumentException("operation: missing (expected: an operation such as CERT_CHANGE, or none)");
                }
                if (operation.equalsIgnoreCase("none"))
                {
                    faults.refuseOperation(null);
                }
                else
                {
                    try
                    {
                        faults.refuseOperation(io.chukei.protocol.sbe.Operation.valueOf(operation));
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException("operation: '" + operation + "' (expected: PREISSUE_SETUP, " +
                            "CARD_ISSUE, CERT_CHANGE, CARD_SUSPEND, CARD_STATUS or none)", ex);
                    }
                }
                return respond(ctx, HttpResponseStatus.OK, JSON, faults.toJson());
            }
            case "/stall":
            {
                if (!HttpMethod.POST.equals(method))
                {
                    return notAllowed(ctx, "POST");
                }
                final EndpointFaults endpoint = endpoint(parameters);
                final double seconds = number(parameters, "seconds", Double.NaN);
                if (!(seconds > 0) || seconds > 86_400)
                {
                    throw new IllegalArgumentException("seconds: " + first(parameters, "seconds") + " (expected: 0 < seconds <= 86400)");
                }
                final Duration duration = Duration.ofNanos((long)(seconds * 1e9));
                if (endpoint == null)
                {
                    faults.stall(duration);
                    return respond(ctx, HttpResponseStatus.OK, JSON, "{\"stalledForMs\":" + duration.toMillis() + "}");
                }
                endpoint.stall(duration);
                return respond(ctx, HttpResponseStatus.OK, JSON,
                    "{\"endpoint\":" + endpoint.endpoint() + ",\"stalledForMs\":" + duration.toMillis() + "}");
            }
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
            case "/record-faults":
                if (!HttpMethod.POST.equals(method) && !HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET, POST");
                }
                if (HttpMethod.POST.equals(method))
                {
                    armRecordFaults(parameters);
                }
                return respond(ctx, HttpResponseStatus.OK, JSON, recordFaults.toJson());
            case "/record-faults/affected":
            {
                if (!HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET");
                }
                final StringBuilder text = new StringBuilder();
                recordFaults.affected().forEach(affected -> text.append(affected.toLine()).append('\n'));
                return respond(ctx, HttpResponseStatus.OK, TEXT, text.toString());
            }
            case "/export":
                if (!HttpMethod.GET.equals(method))
                {
                    return notAllowed(ctx, "GET");
                }
                onlyParameters(parameters, "date");
                return respond(ctx, HttpResponseStatus.OK, TEXT, exportText(first(parameters, "date")));
            default:
                return respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT,
                    "no such resource: " + SafeText.of(path) + " (expected: /faults, /faults/clear, /stall, /refuse, " +
                        "/record-faults, /record-faults/affected, /stats, /ledger, /export)\n");
        }
    }

    /** The endpoint named by {@code endpoint=N}, or null for the simulator-wide switches. */
    private EndpointFaults endpoint(final Map<String, List<String>> parameters)
    {
        final String value = first(parameters, "endpoint");
        if (value == null)
        {
            return null;
        }
        final String expected = " (expected: 0.." + (stats.endpointCount() - 1) + ")";
        final int index;
        try
        {
            index = Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint: " + value + expected, ex);
        }
        if (index < 0 || index >= stats.endpointCount())
        {
            throw new IllegalArgumentException("endpoint: " + value + expected);
        }
        return faults.endpoint(index);
    }

    private static void onlyParameters(final Map<String, List<String>> parameters, final String... allowed)
    {
        final List<String> names = List.of(allowed);
        for (final String name : parameters.keySet())
        {
            if (!names.contains(name))
            {
                throw new IllegalArgumentException("parameter: " + name + " (expected: " + String.join(", ", names) + ")");
            }
        }
    }

    private void setFaults(final Map<String, List<String>> parameters, final EndpointFaults endpoint)
    {
        onlyParameters(parameters, "errorRate", "slowMs", "slowFraction", "endpoint");
        // Validate everything before switching anything, so a bad request changes nothing.
        final double currentErrorRate = endpoint == null ? faults.errorRate() : endpoint.errorRate();
        final long currentSlowMs = endpoint == null ? faults.slowMs() : endpoint.slowMs();
        final double currentSlowFraction = endpoint == null ? faults.slowFraction() : endpoint.slowFraction();
        final double errorRate = number(parameters, "errorRate", currentErrorRate);
        final double slowMs = number(parameters, "slowMs", currentSlowMs);
        final double slowFraction = number(parameters, "slowFraction",
            parameters.containsKey("slowMs") && !parameters.containsKey("slowFraction") ? 1.0 : currentSlowFraction);
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
        if (endpoint == null)
        {
            faults.slowResponses((long)slowMs, slowFraction);
            faults.errorRate(errorRate);
        }
        else
        {
            endpoint.slowResponses((long)slowMs, slowFraction);
            endpoint.errorRate(errorRate);
        }
    }

    /**
     * Arms each kind named: {@code KIND=N} for the next N requests, {@code KINDFraction=F} for a fraction; a kind
     * given only one of them gets 0 for the other. Everything is checked before anything is armed.
     */
    private void armRecordFaults(final Map<String, List<String>> parameters)
    {
        final List<String> allowed = new java.util.ArrayList<>();
        for (final RecordFaults.Kind kind : RecordFaults.Kind.values())
        {
            allowed.add(kind.parameter());
            allowed.add(kind.parameter() + "Fraction");
        }
        onlyParameters(parameters, allowed.toArray(String[]::new));
        final long[] counts = new long[RecordFaults.Kind.values().length];
        final double[] fractions = new double[counts.length];
        for (final RecordFaults.Kind kind : RecordFaults.Kind.values())
        {
            final double count = number(parameters, kind.parameter(), 0);
            if (count != Math.rint(count) || count < 0 || count > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException(kind.parameter() + ": " + first(parameters, kind.parameter()) +
                    " (expected: a whole number of requests, 0.." + Integer.MAX_VALUE + ")");
            }
            final double fraction = number(parameters, kind.parameter() + "Fraction", 0);
            if (!(fraction >= 0 && fraction <= 1))
            {
                throw new IllegalArgumentException(kind.parameter() + "Fraction: " +
                    first(parameters, kind.parameter() + "Fraction") + " (expected: 0.0..1.0)");
            }
            counts[kind.ordinal()] = (long)count;
            fractions[kind.ordinal()] = fraction;
        }
        for (final RecordFaults.Kind kind : RecordFaults.Kind.values())
        {
            if (parameters.containsKey(kind.parameter()) || parameters.containsKey(kind.parameter() + "Fraction"))
            {
                recordFaults.arm(kind, counts[kind.ordinal()], fractions[kind.ordinal()]);
            }
        }
    }

    private String exportText(final String date)
    {
        final java.time.LocalDate day;
        try
        {
            day = date == null ? null : java.time.LocalDate.parse(date);
        }
        catch (final java.time.format.DateTimeParseException ex)
        {
            throw new IllegalArgumentException("date: " + date + " (expected: YYYY-MM-DD)", ex);
        }
        final java.io.StringWriter text = new java.io.StringWriter();
        try
        {
            LedgerExport.write(ledgerFile, day, text);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return text.toString();
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
