package io.chukei.gateway.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;

/** What the admin endpoint answers; the node supplies it. Called only for requests {@link AdminAccess} allowed. */
public interface AdminRoutes
{
    /** A response: status, content type and body. */
    record Response(HttpResponseStatus status, String contentType, String body)
    {
        public static Response json(final HttpResponseStatus status, final String body)
        {
            return new Response(status, "application/json; charset=utf-8", body);
        }

        public static Response text(final HttpResponseStatus status, final String body)
        {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }

    /** Answers one request of {@code caller}; {@code query} holds the decoded query parameters. */
    Response handle(AdminCaller caller, HttpMethod method, String path, Map<String, List<String>> query);
}
