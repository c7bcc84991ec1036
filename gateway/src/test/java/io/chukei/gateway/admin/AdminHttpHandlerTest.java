package io.chukei.gateway.admin;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A refusal may quote the request: its body is escaped text, one line, like everything the node writes. */
class AdminHttpHandlerTest
{
    @Test
    void aRefusalQuotingTheRequestIsEscaped()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler((method, path, query) ->
        {
            throw new IllegalArgumentException("code: '" + query.get("code").get(0) + "' (expected: six digits)");
        }));

        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
            "/admission/limits?code=1%0D%0A%1B%5B2J"));

        final FullHttpResponse response = channel.readOutbound();
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
}
