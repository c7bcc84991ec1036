package io.chukei.gateway.admin;

import io.chukei.gateway.pki.PeerRole;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAccessTest
{
    private static final AdminCaller OPERATOR = new AdminCaller(PeerRole.OPERATOR, "alice");
    private static final AdminCaller VIEWER = new AdminCaller(PeerRole.VIEWER, "bob");
    private static final AdminCaller NODE = new AdminCaller(PeerRole.RELAY_NODE, "node-2");

    @Test
    void everyMutationNeedsAnOperatorWhateverThePath()
    {
        for (final String path : new String[] {"/cluster/isolate", "/admission/limits", "/evidence/export", "/anything"})
        {
            assertThat(AdminAccess.check(OPERATOR, HttpMethod.POST, path, headers())).as(path).isNull();
            assertThat(AdminAccess.check(VIEWER, HttpMethod.POST, path, headers())).as(path)
                .extracting(AdminAccess.Refusal::status, AdminAccess.Refusal::tag).containsExactly(403, "role");
            assertThat(AdminAccess.check(NODE, HttpMethod.DELETE, path, headers())).as(path)
                .extracting(AdminAccess.Refusal::status).isEqualTo(403);
        }
    }

    @Test
    void aViewerReadsEverythingANodeOnlyWhatProbesNeed()
    {
        for (final String path : new String[] {"/", "/status.json", "/whoami", "/cluster", "/metrics", "/admission/limits"})
        {
            assertThat(AdminAccess.check(VIEWER, HttpMethod.GET, path, headers())).as(path).isNull();
        }
        assertThat(AdminAccess.check(NODE, HttpMethod.GET, "/cluster/self", headers())).isNull();
        assertThat(AdminAccess.check(NODE, HttpMethod.GET, "/cluster", headers())).isNull();
        assertThat(AdminAccess.check(NODE, HttpMethod.GET, "/status.json", headers())).isNotNull();
        assertThat(AdminAccess.check(NODE, HttpMethod.GET, "/admission/limits", headers())).isNotNull();
    }

    @Test
    void theAnonymousPlainListenerServesHealthAndMetricsOnly()
    {
        assertThat(AdminAccess.check(AdminCaller.PLAIN, HttpMethod.GET, "/metrics", headers())).isNull();
        assertThat(AdminAccess.check(AdminCaller.PLAIN, HttpMethod.GET, "/health/ready", headers())).isNull();
        assertThat(AdminAccess.check(AdminCaller.PLAIN, HttpMethod.GET, "/cluster/self", headers()))
            .extracting(AdminAccess.Refusal::status).isEqualTo(404);
        assertThat(AdminAccess.check(AdminCaller.PLAIN, HttpMethod.POST, "/metrics", headers()))
            .extracting(AdminAccess.Refusal::status).isEqualTo(404);
    }

    @Test
    void anOperatorsBrowserPostingFromAnotherSiteIsRefused()
    {
        assertThat(AdminAccess.check(OPERATOR, HttpMethod.POST, "/cluster/isolate",
            headers("Host", "127.0.0.1:7500", "Origin", "https://evil.example")))
            .extracting(AdminAccess.Refusal::tag).isEqualTo("cross_origin");
        assertThat(AdminAccess.check(OPERATOR, HttpMethod.POST, "/cluster/isolate",
            headers("Host", "127.0.0.1:7500", "Origin", "http://127.0.0.1:7500")))
            .as("same host, other scheme").extracting(AdminAccess.Refusal::tag).isEqualTo("cross_origin");
        assertThat(AdminAccess.check(OPERATOR, HttpMethod.POST, "/cluster/isolate",
            headers("Host", "127.0.0.1:7500", "Sec-Fetch-Site", "cross-site")))
            .extracting(AdminAccess.Refusal::tag).isEqualTo("cross_origin");
        assertThat(AdminAccess.check(OPERATOR, HttpMethod.POST, "/cluster/isolate",
            headers("Host", "127.0.0.1:7500", "Origin", "https://127.0.0.1:7500", "Sec-Fetch-Site", "same-origin")))
            .as("the admin page itself").isNull();
    }

    private static HttpHeaders headers(final String... namesAndValues)
    {
        final HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
