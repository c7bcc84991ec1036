package io.chukei.protocol.client;

import io.chukei.protocol.client.outbox.OutboxConfig;
import io.chukei.protocol.client.outbox.OutboxDurability;
import io.chukei.protocol.client.outbox.OutboxRecord;
import io.chukei.protocol.client.outbox.OutboxRecords;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK with an outbox against a fake relay over real (plaintext) sockets on 127.0.0.1. */
@Tag("system")
@Timeout(60)
class OutboxClientTest
{
    private static final String MUNICIPALITY = "131016";

    @TempDir
    Path outboxDir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Submission> recovered = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    @Test
    void requestsLeftUnresolvedAreSentAgainByTheNextClientWithTheSameIdsAsPossibleDuplicates() throws Exception
    {
        final FakeRelay relay = relay();
        relay.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient first = client(relay, OutboxDurability.PROCESS);
        final List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            ids.add(first.send(cardStatus()).requestId());
        }
        for (int i = 0; i < 3; i++)
        {
            relay.nextSubmit();
        }
        first.close();
        relay.mode = FakeRelay.Mode.ACCEPT_AND_RESULT;

        final ConnectorClient second = client(relay, OutboxDurability.PROCESS);

        assertThat(recovered).extracting(Submission::requestId).containsExactlyElementsOf(ids);
        assertThat(second.recovered()).containsExactlyElementsOf(recovered);
        for (int i = 0; i < 3; i++)
        {
            final FakeRelay.ReceivedSubmit resent = relay.nextSubmit();
            assertThat(resent.requestId()).isEqualTo(ids.get(i));
            assertThat(resent.possibleDuplicate()).isTrue();
            assertThat(resent.attempt()).isEqualTo(2);
        }
        for (final Submission submission : recovered)
        {
            assertThat(submission.answer().get(10, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
        }
        second.close();
        assertThat(finalAnswers()).containsOnlyKeys(ids.stream().map(UUID::toString).toArray(String[]::new))
            .allSatisfy((id, answer) -> assertThat(answer).isEqualTo("OK"));
    }

    @Test
    void answeredRequestsAreRecordedAndNotSentAgain() throws Exception
    {
        final FakeRelay relay = relay();
        final ConnectorClient first = client(relay, OutboxDurability.PROCESS);
        final Submission submission = first.send(cardStatus());
        assertThat(submission.answer().get(10, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
        relay.nextSubmit();
        first.close();

        final ConnectorClient second = client(relay, OutboxDurability.PROCESS);
        second.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(recovered).isEmpty();
        assertThat(relay.nextSubmit().requestId()).as("the next Submit is the new request").isNotEqualTo(submission.requestId());
        second.close();
        assertThat(finalAnswers()).containsEntry(submission.requestId().toString(), "OK").hasSize(2);
    }

    @Test
    void aDeadlinePassedLocallyIsAFinalAnswerInTheOutbox() throws Exception
    {
        final FakeRelay relay = relay();
        relay.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient client = client(relay, OutboxDurability.PROCESS);
        final Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012")
            .timeout(Duration.ofMillis(50)).build());

        final Answer answer = submission.answer().get(10, TimeUnit.SECONDS);
        client.close();

        assertThat(((Answer.Rejected)answer).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(finalAnswers()).containsExactly(Map.entry(submission.requestId().toString(), "DEADLINE_EXCEEDED"));
    }

    @Test
    void withSyncDurabilityARequestIsSentAfterItsSyncAndAnswered() throws Exception
    {
        final FakeRelay relay = relay();
        final ConnectorClient client = client(relay, OutboxDurability.SYNC);

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOf(Answer.Result.class);
        client.close();
        assertThat(finalAnswers()).containsExactly(Map.entry(answer.requestId().toString(), "OK"));
    }

    private Map<String, String> finalAnswers() throws Exception
    {
        final List<OutboxRecord> records = new ArrayList<>();
        OutboxRecords.forEach(outboxDir, records::add);
        assertThat(records).allSatisfy(record -> assertThat(record.finalAnswer()).as(record.requestId()).isNotNull());
        return records.stream().collect(Collectors.toMap(OutboxRecord::requestId, OutboxRecord::finalAnswer));
    }

    private FakeRelay relay()
    {
        final FakeRelay relay = new FakeRelay(1);
        resources.add(relay);
        return relay;
    }

    private ConnectorClient client(final FakeRelay relay, final OutboxDurability durability)
    {
        final ConnectorClient client = ConnectorClient.builder()
            .nodes(List.of(relay.address()))
            .plaintext()
            .municipalityCode(MUNICIPALITY)
            .connectorName("test-connector/1.0")
            .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .attemptTimeout(Duration.ofSeconds(30))
            .outbox(OutboxConfig.builder(outboxDir).durability(durability).build(), recovered::add)
            .build();
        resources.add(client);
        return client;
    }

    private static SubmitRequest cardStatus()
    {
        return SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").build();
    }
}
