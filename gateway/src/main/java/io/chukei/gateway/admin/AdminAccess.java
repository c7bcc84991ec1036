package io.chukei.gateway.admin;

import io.chukei.gateway.pki.PeerRole;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * Who may do what on the admin listeners. Everything that is not a GET (or HEAD) changes something,
 * so it needs an operator: a new mutating endpoint is covered without being listed. Reading is for
 * operators and viewers; peer nodes read only what probes need; the plain listener serves health and
 * metrics to anyone who reaches it.
 *
 * <pre>
 * role      GET /health/*, /metrics   GET /cluster, /cluster/self   other GETs (/, /status.json, /whoami, limits)   POST ...
 * operator  yes                       yes                           yes                                             yes
 * viewer    yes                       yes                           yes                                             403
 * node      yes (health only)         yes                           403                                             403
 * plain     yes                       404                           404                                             404
 * </pre>
 *
 * A mutating request from a browser must come from the admin page itself: its {@code Origin} must be
 * {@code https://} plus its {@code Host}, and {@code Sec-Fetch-Site}, when sent, must be same-origin.
 * A browser holding an operator certificate presents it to any page that makes it post here, so the
 * certificate alone does not prove the operator meant to.
 */
public final class AdminAccess
{
    /** Paths the plain listener serves. */
    public static final Set<String> PLAIN_PATHS = Set.of("/health/live", "/health/ready", "/metrics");
    private static final Set<String> NODE_PATHS = Set.of("/cluster", "/cluster/self", "/health/live", "/health/ready");

    /** Why a request was refused: its HTTP status and a reason for the answer, the journal and the metric's tag. */
    public record Refusal(int status, String tag, String reason)
    {
    }

    private AdminAccess()
    {
    }

    public static boolean isMutating(final HttpMethod method)
    {
        return !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method);
    }

    /** Null when {@code caller} may send this request; otherwise why not. */
    public static Refusal check(final AdminCaller caller, final HttpMethod method, final String path, final HttpHeaders headers)
    {
        if (!caller.isAuthenticated())
        {
            return PLAIN_PATHS.contains(path) && !isMutating(method) ? null : new Refusal(404, "plain_listener",
                method + " " + path + " is not served on the plain listener (expected: GET " + String.join(", ",
                    new java.util.TreeSet<>(PLAIN_PATHS)) + "; everything else on the TLS admin listener)");
        }
        if (isMutating(method))
        {
            if (caller.role() != PeerRole.OPERATOR)
            {
                return new Refusal(403, "role", method + " " + path + " by " + caller.actor() +
                    " (expected: an operator certificate, urn:chukei:operator:NAME)");
            }
            return crossOrigin(method, path, headers);
        }
        if (caller.role() == PeerRole.RELAY_NODE && !NODE_PATHS.contains(path))
        {
            return new Refusal(403, "role", method + " " + path + " by " + caller.actor() +
                " (expected: an operator or viewer certificate; nodes read " + new java.util.TreeSet<>(NODE_PATHS) + ")");
        }
        return null;
    }

    private static Refusal crossOrigin(final HttpMethod method, final String path, final HttpHeaders headers)
    {
        final String host = headers.get(HttpHeaderNames.HOST);
        final String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && (host == null || !origin.equals("https://" + host)))
        {
            return new Refusal(403, "cross_origin", method + " " + path + " from origin " + origin +
                " (expected: no Origin, or https://" + host + ", the admin page itself)");
        }
        final String site = headers.get("Sec-Fetch-Site");
        if (site != null && !"same-origin".equals(site) && !"none".equals(site))
        {
            return new Refusal(403, "cross_origin", method + " " + path + " with Sec-Fetch-Site " + site +
                " (expected: same-origin or none)");
        }
        return null;
    }
}
