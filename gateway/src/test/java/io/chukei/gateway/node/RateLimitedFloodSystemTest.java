package io.chukei.gateway.node;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector that ignores RATE_LIMITED: every Submit still gets exactly one answer, but the node
 * stops reading from it after each RATE_LIMITED until the retry-after (gateway/README.md, "Connector
 * listener", read fairness), so the flood waits in TCP rather than being decoded and refused.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RateLimitedFloodSystemTest
{
    private static final int SUBMITS = 300;

    @TempDir
    Path dataDir;

    @Test
    void everySubmitOfAFloodIsAnsweredWhileTheNodeReadsItInPauses() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "admission.rate.131016", "10", "admission.burst.131016", "5"),
            Clock.systemUTC()).start();
             RawConnector flooder = new RawConnector(node.connectorAddress(),
                 TlsContexts.client(DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid).issueConnector("131016"), PeerPolicy.relayClient())))
        {
            assertThat(flooder.handshake()).isTrue();
            flooder.hello("131016");
            assertThat(flooder.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);

            for (int i = 0; i < SUBMITS; i++)
            {
                flooder.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, "131016"));
            }
            int accepted = 0;
            int rateLimited = 0;
            for (int answers = 0; answers < SUBMITS; )
            {
                final MessageReader reply = flooder.next();
                if (reply.templateId() == AcceptedDecoder.TEMPLATE_ID)
                {
                    accepted++;
                    answers++;
                }
                else if (reply.templateId() == RejectedDecoder.TEMPLATE_ID)
                {
                    assertThat(reply.rejected().code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    rateLimited++;
                    answers++;
                }
                else
                {
                    assertThat(reply.templateId()).as("Accepted, Rejected or, later, Result").isEqualTo(ResultDecoder.TEMPLATE_ID);
                }
            }

            assertThat(accepted + rateLimited).isEqualTo(SUBMITS);
            assertThat(rateLimited).isPositive();
            assertThat(node.metrics().readPauseCount()).as("reads paused after a RATE_LIMITED").isPositive();
        }
    }
}
