package io.chukei.gateway.node;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.BatchManifest;
import io.chukei.protocol.client.BatchStatus;
import io.chukei.protocol.client.RoundRobinNodeSelector;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.client.outbox.OutboxConfig;
import io.chukei.protocol.client.outbox.OutboxRecords;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A connector process that declares one batch and submits it through an outbox, for {@link BatchCompletenessSystemTest}
 * to kill and start again (and to fail nodes under). Arguments: the nodes' connector ports (comma-separated, tried in
 * that order: the first is the one it starts on), PKI directory, municipality, outbox directory, batch id, batch size.
 * Member {@code s} has the request id {@code (batchId, s)}; on a start the members the outbox already holds are not
 * submitted again (the outbox resends those left unresolved). Prints "recovered N", then "answer ID STATUS" for
 * every answer it is given (recovered or new), then, once every request it handled has one, the batch's account from
 * every node ({@code batchStatusEverywhere}) as "batch complete=B ok=N nodes=[..] unanswered=[..] digest=D", and "done".
 */
public final class OutboxConnector
{
    private static final int MAX_OUTSTANDING = 64;

    private OutboxConnector()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final List<InetSocketAddress> nodes = new java.util.ArrayList<>();
        for (final String port : args[0].split(","))
        {
            nodes.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
        }
        final DevPki pki = DevPki.openOrCreate(Path.of(args[1]), MunicipalityCodes::isValid);
        final String municipality = args[2];
        final Path outboxDir = Path.of(args[3]);
        final long batchId = Long.parseLong(args[4]);
        final int batchSize = Integer.parseInt(args[5]);
        final PrintStream out = System.out;

        final Set<UUID> alreadyTaken = new HashSet<>();
        if (Files.exists(outboxDir))
        {
            OutboxRecords.forEach(outboxDir, record -> alreadyTaken.add(UUID.fromString(record.requestId())));
        }
        final CountDownLatch[] pending = new CountDownLatch[1];
        // A connector keeps within the relay's admission (a flood of a whole batch at once gets OVERLOADED answers).
        final Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
        final List<Submission> recovered = new java.util.ArrayList<>();
        try (ConnectorClient client = ConnectorClient.builder()
            .nodes(nodes)
            // In list order, so the test knows which node the batch starts on.
            .nodeSelector(new RoundRobinNodeSelector(nodes))
            .sslContext(TlsContexts.client(pki.issueConnector(municipality), PeerPolicy.relayClient()))
            .municipalityCode(municipality)
            .connectorName("outbox-connector/1.0")
            .defaultTimeout(Duration.ofSeconds(120))
            .maxQueued(batchSize)
            .outbox(OutboxConfig.of(outboxDir), recovered::add)
            .build())
        {
            int toSend = 0;
            for (int sequence = 1; sequence <= batchSize; sequence++)
            {
                if (!alreadyTaken.contains(memberId(batchId, sequence)))
                {
                    toSend++;
                }
            }
            pending[0] = new CountDownLatch(recovered.size() + toSend);
            final List<UUID> members = new java.util.ArrayList<>(batchSize);
            for (int sequence = 1; sequence <= batchSize; sequence++)
            {
                members.add(memberId(batchId, sequence));
            }
            final BatchStatus declared = client.declareBatch(BatchManifest.of(batchId, members)).get(120, TimeUnit.SECONDS);
            if (declared.code() != ErrorCode.NO_ERROR)
            {
                out.println("declare refused " + declared.code() + " " + declared.detail());
                out.flush();
                System.exit(1);
            }
            synchronized (out)
            {
                out.println("recovered " + recovered.size());
                out.flush();
            }
            for (final Submission submission : recovered)
            {
                submission.answer().whenComplete((answer, failure) -> report(out, submission, answer, pending[0]));
            }
            for (int sequence = 1; sequence <= batchSize; sequence++)
            {
                final UUID id = memberId(batchId, sequence);
                if (alreadyTaken.contains(id))
                {
                    continue;
                }
                outstanding.acquire();
                final Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS)
                    .requestId(id)
                    .cardId(String.format("%012d", sequence))
                    .batch(batchId, sequence, batchSize)
                    .build());
                submission.answer().whenComplete((answer, failure) ->
                {
                    report(out, submission, answer, pending[0]);
                    outstanding.release();
                });
            }
            if (!pending[0].await(240, TimeUnit.SECONDS))
            {
                out.println("timeout " + pending[0].getCount() + " unanswered");
                out.flush();
                System.exit(1);
            }
            final BatchStatus everywhere = client.batchStatusEverywhere(batchId).get(120, TimeUnit.SECONDS);
            synchronized (out)
            {
                out.println("batch complete=" + everywhere.complete() + " ok=" +
                    everywhere.count(BatchMemberState.COMPLETED_OK) + " nodes=" + everywhere.nodeIds() + " unanswered=" +
                    everywhere.unanswered() + " digest=" + everywhere.digestCheck());
                out.println("done");
                out.flush();
            }
        }
        // Chronicle may leave background threads of its own: the process ends here, its outbox closed.
        System.exit(0);
    }

    static UUID memberId(final long batchId, final int sequence)
    {
        return new UUID(batchId, sequence);
    }

    private static void report(final PrintStream out, final Submission submission, final Answer answer,
        final CountDownLatch pending)
    {
        final String status = answer instanceof Answer.Result result ? result.status().name() :
            answer instanceof Answer.Rejected rejected ? rejected.code().name() : "FAILED";
        synchronized (out)
        {
            out.println("answer " + submission.requestId() + " " + status);
            out.flush();
        }
        pending.countDown();
    }
}
