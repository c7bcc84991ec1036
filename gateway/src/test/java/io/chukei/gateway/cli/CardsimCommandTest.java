package io.chukei.gateway.cli;

import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.cardsim.UpstreamTestClient;
import io.chukei.gateway.cardsim.UpstreamTestClient.ForwardSpec;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CardsimCommandTest
{
    private static final Pattern READY =
        Pattern.compile("cardsim ready: upstream 127\\.0\\.0\\.1:(\\d+), admin http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern READY_TWO =
        Pattern.compile("cardsim ready: upstream 127\\.0\\.0\\.1:(\\d+),127\\.0\\.0\\.1:(\\d+), admin disabled");

    @TempDir
    Path dataDirectory;

    @Test
    @Tag("system")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void printsTheReadyLineServesForwardsAndStopsCleanly() throws Exception
    {
        final CardsimCommand command = new CardsimCommand();
        final StringWriter out = new StringWriter();
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .execute("--port", "0", "--admin-port", "0", "--data", dataDirectory.toString(), "--service-time-ms", "0"));
        await().until(() -> READY.matcher(out.toString()).find());
        final Matcher ready = READY.matcher(out.toString());
        assertThat(ready.find()).isTrue();

        final UUID id = UUID.randomUUID();
        try (UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", Integer.parseInt(ready.group(1))))
        {
            assertThat(client.forward(ForwardSpec.of(id, Operation.CARD_ISSUE, "123456789012"))
                .get(10, TimeUnit.SECONDS).status()).isEqualTo(OutcomeStatus.OK);
        }
        command.requestStop();

        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsEntry(id, 1);
    }

    @Test
    @Tag("system")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void withSeveralPortsTheReadyLineListsEveryEndpointAndTheyShareOneLedger() throws Exception
    {
        final CardsimCommand command = new CardsimCommand();
        final StringWriter out = new StringWriter();
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .execute("--ports", "0,0", "--admin-port", "-1", "--data", dataDirectory.toString(), "--service-time-ms", "0"));
        await().until(() -> READY_TWO.matcher(out.toString()).find());
        final Matcher ready = READY_TWO.matcher(out.toString());
        assertThat(ready.find()).isTrue();

        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, "123456789012");
        try (UpstreamTestClient first = UpstreamTestClient.connect("127.0.0.1", Integer.parseInt(ready.group(1)));
             UpstreamTestClient second = UpstreamTestClient.connect("127.0.0.1", Integer.parseInt(ready.group(2))))
        {
            assertThat(first.forward(request).get(10, TimeUnit.SECONDS).duplicate()).isFalse();
            assertThat(second.forward(request.resendFrom(2)).get(10, TimeUnit.SECONDS).duplicate()).isTrue();
        }
        command.requestStop();

        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(request.requestId(), 1));
    }

    @Test
    void portAndPortsTogetherAreRefused()
    {
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(new CardsimCommand())
            .setErr(new PrintWriter(err, true))
            .execute("--port", "7600", "--ports", "7602,7604", "--data", dataDirectory.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--port 7600 and --ports [7602, 7604] (expected: one of them)");
    }

    @Test
    void anInvalidOptionIsReportedWithItsRuleAndExitCodeTwo()
    {
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(new CardsimCommand())
            .setErr(new PrintWriter(err, true))
            .execute("--concurrency", "0", "--data", dataDirectory.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("concurrency: 0 (expected: >= 1)");
    }
}
