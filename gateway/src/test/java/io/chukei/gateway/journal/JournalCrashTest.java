package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.SCOPE;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
@Timeout(120)
class JournalCrashTest
{
    private static final int INDEXES_BEFORE_KILL = 20_000;

    @TempDir
    Path directory;

    @Test
    void everyIndexReportedBeforeAKillIsReadableAndRecoveryWorks() throws Exception
    {
        final List<Long> reported = new ArrayList<>();
        final Process child = startChild();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (reported.size() < INDEXES_BEFORE_KILL && (line = out.readLine()) != null)
            {
                parseIndex(line, reported);
            }
            // SIGKILL mid-append: the child is still writing as fast as it can.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).hasSizeGreaterThanOrEqualTo(INDEXES_BEFORE_KILL);

        try (Journal journal = Journal.open(JournalConfig.builder().directory(directory).build()))
        {
            final AcceptedView view = new AcceptedView();
            for (final long index : reported)
            {
                assertThat(journal.readAccepted(index, view)).as("index %d readable", index).isTrue();
            }
            final RecoveredState state = journal.recover();
            assertThat(state.pending().size()).isGreaterThanOrEqualTo(reported.size());
            assertThat(journal.appendForwarded(SCOPE, 3, 1, 1, 1, false)).isNotEqualTo(Journal.APPEND_FAILED);
        }
    }

    /** Whole "INDEX n" lines only: the child's log shares stdout, and the kill can cut the last line short. */
    private static void parseIndex(final String line, final List<Long> reported)
    {
        if (line.matches("INDEX \\d+"))
        {
            reported.add(Long.parseLong(line.substring("INDEX ".length())));
        }
    }

    private Process startChild() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournalCrashChild.class.getName());
        command.add(directory.toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The flags this test JVM got (Chronicle's add-opens/exports), so the child runs like we do. */
    private static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle."))
            {
                flags.add(argument);
            }
        }
        return flags;
    }
}
