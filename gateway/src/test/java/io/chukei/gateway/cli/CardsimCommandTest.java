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
