package io.chukei.gateway.node;

import io.chukei.gateway.cli.ChukeiCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Residents' real names through a real node with {@code chukei send}, as a municipality would
 * send them: the default repertoire (japanese-names) relays the variant ideographs and registered
 * variation sequences, rejects an unregistered sequence and half-width katakana precisely; the
 * {@code jisx0213} profile refuses 髙 as before.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RepertoireSystemTest
{
    private static final String KATSURA_WITH_SELECTOR = "葛\uDB40\uDD00";      // U+845B U+E0100, registered
    private static final String KATSURA_UNREGISTERED = "葛\uDB40\uDDEF";       // U+845B U+E01EF, not registered

    @TempDir
    Path dataDir;

    @Test
    void realNamesGetResultOkOnANodeWithTheDefaultConfiguration() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            for (final String name : new String[] {"髙橋太郎", "𠮷田花子", "山﨑", KATSURA_WITH_SELECTOR})
            {
                final Sent sent = send(node, name);

                assertThat(sent.exitCode).as(sent.output).isZero();
                assertThat(sent.output).as(name).contains("RESULT OK");
            }
        }
    }

    @Test
    void anUnregisteredSequenceAndHalfwidthKatakanaAreRejectedPrecisely() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            final Sent sequence = send(node, KATSURA_UNREGISTERED);
            assertThat(sequence.exitCode).isEqualTo(4);
            assertThat(sequence.output)
                .contains("REJECTED TEXT_OUTSIDE_REPERTOIRE field=NAME_KANJI position=3 codePoint=U+E01EF")
                .contains("nameKanji: U+E01EF at byte 3 after U+845B: the sequence U+845B U+E01EF is not a " +
                    "registered variation sequence of the repertoire japanese-names (registered for U+845B: " +
                    "U+E0100..U+E0109)");

            final Sent halfwidth = send(node, "ｶﾀｶﾅ");
            assertThat(halfwidth.exitCode).isEqualTo(4);
            assertThat(halfwidth.output)
                .contains("REJECTED TEXT_OUTSIDE_REPERTOIRE field=NAME_KANJI position=0 codePoint=U+FF76")
                .contains("nameKanji: U+FF76 at byte 0 is outside the repertoire japanese-names (send its " +
                    "compatibility equivalent U+30AB KATAKANA LETTER KA instead)");
        }
    }

    @Test
    void theJisX0213ProfileRefusesHashigoDakaAsBefore() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "validation.repertoire", "jisx0213"),
            Clock.systemUTC()).start())
        {
            final Sent sent = send(node, "髙橋太郎");

            assertThat(sent.exitCode).isEqualTo(4);
            assertThat(sent.output)
                .contains("REJECTED TEXT_OUTSIDE_REPERTOIRE field=NAME_KANJI position=0 codePoint=U+9AD9")
                .contains("nameKanji: U+9AD9 at byte 0 is outside the repertoire jisx0213");
            assertThat(send(node, "高橋太郎").output).contains("RESULT OK");
        }
    }

    /** {@code chukei send --operation CERT_CHANGE ... --name-kanji NAME}, in this JVM, its standard output captured. */
    private Sent send(final RelayNode node, final String nameKanji)
    {
        final InetSocketAddress address = node.connectorAddress();
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final int exitCode;
        // chukei send prints its answer to System.out, like the launcher's users see it.
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            exitCode = ChukeiCommand.commandLine().execute("send", "--data", dataDir.toString(),
                "--node", address.getHostString() + ":" + address.getPort(), "--municipality", "131016",
                "--operation", "CERT_CHANGE", "--personal-number", "123456789018", "--card-id", "100000000001",
                "--address", "東京都千代田区千代田１－１", "--name-kanji", nameKanji, "--timeout", "PT30S");
        }
        finally
        {
            System.setOut(original);
        }
        return new Sent(exitCode, captured.toString(StandardCharsets.UTF_8));
    }

    private record Sent(int exitCode, String output)
    {
    }
}
