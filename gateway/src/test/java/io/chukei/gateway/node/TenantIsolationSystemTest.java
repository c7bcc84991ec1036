package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Municipalities are walled off from each other: one municipality's StatusQuery learns nothing about another's
 * request (the answer is the one for an id nobody used), and an id another municipality used first is no
 * obstacle — request ids are scoped to the municipality of the client certificate, at the relay, in its journal
 * after a restart, and at card management.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TenantIsolationSystemTest
{
    private static final String A = "131016";
    private static final String B = "011002";

    @TempDir
    Path dataDir;

    @Test
    void anotherMunicipalitysStatusQueryGetsTheAnswerForAnUnknownIdFinishedOrPending() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
             ConnectorClient a = NodeFixtures.connector(dataDir, node.connectorAddress(), A))
        {
            final UUID finished = UUID.randomUUID();
            assertThat(a.submit(cardStatus(finished, "123456789012")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(Answer.Result.class);
            // Card management answers after 3 s from here: a request stays pending long enough to be asked about.
            node.simulator().faults().slowResponses(3_000, 1.0);
            final UUID pending = UUID.randomUUID();
            final var stillPending = a.submit(cardStatus(pending, "123456789012"));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                a.status(pending).get(10, TimeUnit.SECONDS).state() != RequestState.UNKNOWN);

            try (RawConnector b = openSession(node, B))
            {
                assertUnknown(b, finished, B);
                assertUnknown(b, pending, B);
                assertUnknown(b, UUID.randomUUID(), B);
                // Naming A's municipality is refused whatever the id: the answer never depends on A's requests.
                assertNotAuthorized(b, finished, A);
                assertNotAuthorized(b, UUID.randomUUID(), A);
            }
            assertThat(stillPending.get(30, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
        }
    }

    @Test
    void anIdAnotherMunicipalityUsedFirstIsAcceptedAndAppliedAndStaysApartAfterARestart() throws Exception
    {
        final UUID id = UUID.randomUUID();
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
             ConnectorClient a = NodeFixtures.connector(dataDir, node.connectorAddress(), A);
             ConnectorClient b = NodeFixtures.connector(dataDir, node.connectorAddress(), B))
        {
            // B squats the id with a different request; A's genuine request with it must not care.
            final Answer squatter = b.submit(cardStatus(id, "999999990000")).get(30, TimeUnit.SECONDS);
            final Answer genuine = a.submit(cardStatus(id, "123456789012")).get(30, TimeUnit.SECONDS);

            assertThat(squatter).isInstanceOfSatisfying(Answer.Result.class, r -> assertThat(r.status().name()).isEqualTo("REFUSED"));
            assertThat(genuine).isInstanceOfSatisfying(Answer.Result.class, r -> assertThat(r.status().name()).isEqualTo("OK"));
            // Each resend gets its own municipality's stored answer, and nothing is applied again.
            assertThat(a.submit(cardStatus(id, "123456789012")).get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(Answer.Result.class, r -> assertThat(r.status().name()).isEqualTo("OK"));
            assertThat(b.submit(cardStatus(id, "999999990000")).get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(Answer.Result.class, r -> assertThat(r.status().name()).isEqualTo("REFUSED"));
            assertThat(appliedFor(node, id)).containsExactlyInAnyOrder(A, B);
        }

        // After a restart the answers come from the journal, still one per municipality.
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
             ConnectorClient a = NodeFixtures.connector(dataDir, node.connectorAddress(), A))
        {
            assertThat(a.submit(cardStatus(id, "123456789012")).get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(Answer.Result.class, r -> assertThat(r.status().name()).isEqualTo("OK"));
            try (RawConnector c = openSession(node, "422011"))
            {
                assertUnknown(c, id, "422011");
            }
            assertThat(appliedFor(node, id)).containsExactlyInAnyOrder(A, B);
        }
    }

    private static SubmitRequest cardStatus(final UUID id, final String cardId)
    {
        return SubmitRequest.builder(Operation.CARD_STATUS).requestId(id).cardId(cardId).build();
    }

    private static List<String> appliedFor(final RelayNode node, final UUID id)
    {
        return Ledger.read(node.simulator().ledgerFile()).stream()
            .filter(entry -> entry.isApplied() && entry.requestId().equals(id))
            .map(Ledger.Entry::municipality)
            .toList();
    }

    private RawConnector openSession(final RelayNode node, final String municipality) throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        final RawConnector raw = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector(municipality), PeerPolicy.relayClient()));
        assertThat(raw.handshake()).isTrue();
        raw.hello(municipality);
        assertThat(raw.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return raw;
    }

    private static MessageReader query(final RawConnector raw, final UUID id, final String municipality)
        throws InterruptedException
    {
        raw.send(new StatusQueryEncoder(), q ->
        {
            q.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
            q.municipalityCode(municipality);
        });
        return raw.next();
    }

    private static void assertUnknown(final RawConnector raw, final UUID id, final String municipality)
        throws InterruptedException
    {
        final MessageReader reply = query(raw, id, municipality);
        assertThat(reply.templateId()).as("answer to StatusQuery %s", id).isEqualTo(StatusReplyDecoder.TEMPLATE_ID);
        final StatusReplyDecoder status = reply.statusReply();
        assertThat(status.state()).isEqualTo(RequestState.UNKNOWN);
        assertThat(status.journalPosition()).isEqualTo(-1);
    }

    private static void assertNotAuthorized(final RawConnector raw, final UUID id, final String municipality)
        throws InterruptedException
    {
        final MessageReader reply = query(raw, id, municipality);
        assertThat(reply.templateId()).isEqualTo(RejectedDecoder.TEMPLATE_ID);
        assertThat(reply.rejected().code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
        assertThat(reply.rejected().field()).isEqualTo(FieldId.MUNICIPALITY_CODE);
    }
}
