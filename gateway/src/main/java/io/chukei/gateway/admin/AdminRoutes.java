package io.chukei.gateway.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What the admin endpoint answers; the node supplies it. Called only for requests {@link AdminAccess} allowed. */
public interface AdminRoutes
{
    /**
     * A response: status, content type and body; or, when {@code later} is not null, an answer decided later (an
     * action's audit entry waiting for its fsync), written once it completes. The connection reads no further
     * request until then.
     */
    record Response(HttpResponseStatus status, String contentType, String body, CompletableFuture<Response> later)
    {
        public Response(final HttpResponseStatus status, final String contentType, final String body)
        {
            this(status, contentType, body, null);
        }

        public static Response json(final HttpResponseStatus status, final String body)
        {
            return new Response(status, "application/json; charset=utf-8", body);
        }

        public static Response text(final HttpResponseStatus status, final String body)
        {
            return new Response(status, "text/plain; charset=utf-8", body);
        }

        /** The answer {@code answer} makes of {@code value}: now when it is known, else once it is. */
        public static <T> Response when(final CompletableFuture<T> value, final Function<T, Response> answer)
        {
            if (value.isDone() && !value.isCompletedExceptionally())
            {
                return answer.apply(value.join());
            }
            return new Response(null, null, null, value.thenApply(answer));
        }
    }

    /** Answers one request of {@code caller}; {@code query} holds the decoded query parameters. */
    Response handle(AdminCaller caller, HttpMethod method, String path, Map<String, List<String>> query);
}
