package io.chukei.gateway.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Without TLS (the plain listener): health and metrics only; whatever is answered is escaped text. */
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
        }, refusals));

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
        }, refusals));

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

    private static FullHttpResponse send(final EmbeddedChannel channel, final HttpMethod method, final String uri)
    {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        return channel.readOutbound();
    }
}
