package io.chukei.bench.compare;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("system")
@Timeout(120)
class MinimalRelaySystemTest
{
    private static final String MUNICIPALITY = "131016";

    @TempDir
    Path dataDir;

    @Test
    void aSubmitThroughTheMinimalRelayGetsCardManagementsResult() throws Exception
    {
        try (MinimalRelay relay = MinimalRelay.start(dataDir, 0, 1);
             ConnectorClient client = connector(relay))
        {
            final Answer answer = client.submit(SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").build())
                .get(60, TimeUnit.SECONDS);

            assertThat(answer).isInstanceOf(Answer.Result.class);
            assertThat(relay.pendingCount()).isZero();
        }
    }

    private ConnectorClient connector(final MinimalRelay relay)
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return ConnectorClient.builder()
            .nodes(List.of(relay.address()))
            .sslContext(TlsContexts.client(pki.issueConnector(MUNICIPALITY), PeerPolicy.relayClient()))
            .municipalityCode(MUNICIPALITY)
            .connectorName("test/minimal-relay")
            .defaultTimeout(Duration.ofSeconds(30))
            .build();
    }
}
