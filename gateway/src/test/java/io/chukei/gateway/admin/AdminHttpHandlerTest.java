package io.chukei.gateway.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a TLS handshake (callers are the plain listener's): health and metrics only; whatever is answered is
 * escaped text; HSTS only when the handler serves the HTTPS listener.
 */
class AdminHttpHandlerTest
{
    private final List<String> audited = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AdminServer.Refusals refusals = new AdminServer.Refusals("plain",
        (caller, refusal) -> audited.add(caller.actor() + " " + refusal.reason()), registry);

    @Test
    void aRefusalQuotingTheRequestIsEscaped()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler((caller, method, path, query) ->
        {
            throw new IllegalArgumentException("code: '" + query.get("code").get(0) + "' (expected: six digits)");
        }, refusals, null));

        final FullHttpResponse response = send(channel, HttpMethod.GET, "/metrics?code=1%0D%0A%1B%5B2J");
        try
        {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(response.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("code: '1\\r\\n\\u001b[2J' (expected: six digits)\n");
        }
        finally
        {
            response.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void thePlainListenerServesNoActionAndCountsTheRefusal()
    {
        final List<String> routed = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler((caller, method, path, query) ->
        {
            routed.add(path);
            return AdminRoutes.Response.text(HttpResponseStatus.OK, "done\n");
        }, refusals, null));

        final FullHttpResponse response = send(channel, HttpMethod.POST, "/cluster/isolate?node=1");
        try
        {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
            assertThat(routed).isEmpty();
            assertThat(audited).singleElement().asString().startsWith("plain-listener POST /cluster/isolate");
            assertThat(registry.get("chukei.admin.requests.refused").tag("reason", "plain_listener").counter().count())
                .isEqualTo(1.0);
        }
        finally
        {
            response.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aRequestTheCodecCouldNotParseIsA400ThatClosesTheConnectionNotARoutedPath()
    {
        final List<String> routed = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
            new AdminHttpHandler((caller, method, path, query) ->
            {
                routed.add(path);
                return AdminRoutes.Response.text(HttpResponseStatus.OK, "done\n");
            }, refusals, null));

        // A header line without a colon: Netty marks the request failed rather than throwing.
        channel.writeInbound(Unpooled.copiedBuffer("GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
            StandardCharsets.US_ASCII));
        final ByteBuf written = channel.readOutbound();
        try
        {
            final String answer = written.toString(StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("malformed HTTP request");
            assertThat(routed).isEmpty();
            assertThat(channel.isOpen()).isFalse();
        }
        finally
        {
            written.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void answersOnTheHttpsListenerTellBrowsersToKeepToHttps()
    {
        assertThat(statusAndHsts(true, HttpMethod.GET, "/health/live"))
            .containsExactly(HttpResponseStatus.OK, "max-age=31536000");
    }

    @Test
    void refusalsOnTheHttpsListenerCarryHstsToo()
    {
        assertThat(statusAndHsts(true, HttpMethod.POST, "/cluster/isolate?node=1"))
            .containsExactly(HttpResponseStatus.NOT_FOUND, "max-age=31536000");
    }

    @Test
    void thePlainListenerSendsNoHsts()
    {
        assertThat(statusAndHsts(false, HttpMethod.GET, "/health/live")).containsExactly(HttpResponseStatus.OK, null);
    }

    /** One answer's status and Strict-Transport-Security header (null: none), on an HTTPS listener or a plain one. */
    private List<Object> statusAndHsts(final boolean https, final HttpMethod method, final String uri)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler((caller, m, path, query) ->
            AdminRoutes.Response.text(HttpResponseStatus.OK, "ok\n"), refusals, https ? io.chukei.gateway.tls.PeerPolicy.adminListener() : null));
        final FullHttpResponse response = send(channel, method, uri);
        try
        {
            return Arrays.asList(response.status(), response.headers().get("Strict-Transport-Security"));
        }
        finally
        {
            response.release();
            channel.finishAndReleaseAll();
        }
    }

    /**
     * An answer decided later (an action's audit entry waiting for its fsync) is written when it completes; a request
     * pipelined behind it is answered after it, in order, and the connection reads nothing more meanwhile.
     */
    @Test
    void anAnswerDecidedLaterIsWrittenWhenItCompletesAndARequestBehindItWaits()
    {
        final java.util.concurrent.CompletableFuture<AdminRoutes.Response> slow = new java.util.concurrent.CompletableFuture<>();
        final List<String> routed = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler((caller, method, path, query) ->
        {
            routed.add(path);
            return path.equals("/metrics") ? AdminRoutes.Response.when(slow, response -> response) :
                AdminRoutes.Response.text(HttpResponseStatus.OK, "second\n");
        }, refusals, null));

        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/metrics"),
            new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health/live"));
        channel.runPendingTasks();

        assertThat((Object)channel.readOutbound()).as("written before its answer is known").isNull();
        assertThat(routed).as("the second request waits for the first's answer").containsExactly("/metrics");
        assertThat(channel.config().isAutoRead()).isFalse();

        slow.complete(AdminRoutes.Response.text(HttpResponseStatus.OK, "first\n"));
        channel.runPendingTasks();
        final FullHttpResponse first = channel.readOutbound();
        final FullHttpResponse second = channel.readOutbound();
        try
        {
            assertThat(first.content().toString(StandardCharsets.UTF_8)).isEqualTo("first\n");
            assertThat(second.content().toString(StandardCharsets.UTF_8)).isEqualTo("second\n");
            assertThat(routed).containsExactly("/metrics", "/health/live");
            assertThat(channel.config().isAutoRead()).isTrue();
        }
        finally
        {
            first.release();
            second.release();
            channel.finishAndReleaseAll();
        }
    }

    private static FullHttpResponse send(final EmbeddedChannel channel, final HttpMethod method, final String uri)
    {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        return channel.readOutbound();
    }
}
