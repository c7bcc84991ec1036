package io.chukei.gateway.node;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageLatency;
import io.chukei.gateway.latency.StageLogWriter;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real node under traffic writes interval logs that HdrHistogram's own reader reads, with every stage counted. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StageHistogramsSystemTest
{
    private static final int REQUESTS = 50;

    @TempDir
    Path dataDir;

    @Test
    void everyStageOfEveryAnsweredRequestIsInTheIntervalLogAndInTheRecentWindow() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "metrics.stages.intervalMs", "200"),
            Clock.systemUTC()).start())
        {
            try (ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
            {
                final List<Submission> submissions = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++)
                {
                    submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
                }
                for (final Submission submission : submissions)
                {
                    assertThat(submission.answer().get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
                }
            }
            // What the status page reads: the intervals in memory, while the node runs.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(node.metrics().stages().recent(Duration.ofMinutes(5)))
                    .allSatisfy(stage -> assertThat(stage.window().count()).as(stage.stage().tag()).isEqualTo(REQUESTS)));
            final StageLatency endToEnd = node.metrics().stages().recent(Duration.ofMinutes(5)).get(Stage.END_TO_END.ordinal());
            assertThat(endToEnd.window().p99Nanos()).isPositive().isLessThanOrEqualTo(endToEnd.window().maxNanos());
        }

        assertThat(countsInLogs()).as("one value per request and stage (one upstream attempt each)")
            .containsExactlyInAnyOrderEntriesOf(allStages(REQUESTS));
    }

    private Map<Stage, Long> countsInLogs() throws IOException
    {
        final Map<Stage, Long> counts = new EnumMap<>(Stage.class);
        final List<Path> logs;
        try (Stream<Path> files = Files.list(dataDir.resolve(StageLogWriter.DIRECTORY)))
        {
            logs = files.filter(p -> p.toString().endsWith(".hlog")).toList();
        }
        assertThat(logs).isNotEmpty();
        for (final Path log : logs)
        {
            final HistogramLogReader reader = new HistogramLogReader(log.toFile());
            try
            {
                EncodableHistogram interval;
                while ((interval = reader.nextIntervalHistogram()) != null)
                {
                    counts.merge(Stage.ofTag(interval.getTag()), ((org.HdrHistogram.Histogram)interval).getTotalCount(),
                        Long::sum);
                }
            }
            finally
            {
                reader.close();
            }
        }
        return counts;
    }

    private static Map<Stage, Long> allStages(final long count)
    {
        final Map<Stage, Long> expected = new EnumMap<>(Stage.class);
        for (final Stage stage : Stage.values())
        {
            expected.put(stage, count);
        }
        return expected;
    }
}
