package io.chukei.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.files.FileBytes;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Personal data at rest, on a real node process: after requests with a known personal number, name and
 * address, no file under the data directory holds them in clear, every file there is 0600 and every directory
 * 0700; and what the node needs back (resend answers after a restart, the trace tool) still reads.
 */
@Tag("system")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class DataAtRestSystemTest
{
    private static final String MUNICIPALITY = "131016";
    private static final String PERSONAL_NUMBER = "123456789018";
    private static final String RESIDENT_CODE = "98765432109";
    private static final String NAME_KANJI = "山田 葛太郎";
    private static final String NAME_KANA = "ヤマダ カツタロウ";
    private static final String ADDRESS = "東京都千代田区霞が関二丁目";

    @TempDir
    Path root;

    @Test
    void noFileUnderTheDataDirectoryHoldsPersonalDataInClearAndAllAreOwnerOnly() throws Exception
    {
        final Path data = root.resolve("data");
        final Path config = root.resolve("node.conf");
        final int connectorPort = NodeProcess.freePort();
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "connector.listen=127.0.0.1:" + connectorPort,
            "admin.listen=127.0.0.1:0",
            "cardsim.listen=127.0.0.1:0",
            "cardsim.adminListen=127.0.0.1:0",
            ""));
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", connectorPort);
        final List<UUID> ids = new ArrayList<>();
        try (NodeProcess node = new NodeProcess(config, data, root.resolve("node.log")).start())
        {
            try (ConnectorClient client = NodeFixtures.connector(data, address, MUNICIPALITY))
            {
                for (int i = 0; i < 20; i++)
                {
                    final UUID id = UUID.randomUUID();
                    ids.add(id);
                    assertThat(client.submit(preissue(id)).get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
                }
            }
            node.stop();

            // Answers to resends come from the journal after a restart: the sealed COMPLETED entry is opened.
            node.start();
            try (ConnectorClient client = NodeFixtures.connector(data, address, MUNICIPALITY))
            {
                assertThat(client.submit(preissue(ids.get(0))).get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
            }
            node.stop();
            assertThat(node.log()).doesNotContain(PERSONAL_NUMBER).doesNotContain(NAME_KANJI);
        }

        assertThat(data.resolve("journal")).isDirectory();
        assertThat(data.resolve("cardsim").resolve("ledger.csv")).isRegularFile();
        assertThat(data.resolve("histograms")).isDirectory();
        assertThat(data.resolve("keys").resolve("journal.keys")).isRegularFile();
        for (final String text : List.of(PERSONAL_NUMBER, RESIDENT_CODE, NAME_KANJI, "葛太郎", NAME_KANA, ADDRESS))
        {
            for (final Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE))
            {
                assertThat(FileBytes.filesContaining(data, text.getBytes(charset)))
                    .as("files holding %s in %s", text, charset).isEmpty();
            }
        }
        assertEveryFileOwnerOnly(data);
        assertThat(trace(data, ids.get(0))).contains("ACCEPTED").contains("COMPLETED").contains(" key=1")
            .doesNotContain(PERSONAL_NUMBER);

        // Personal fields in clear take the key and leave an audit entry, written before anything is shown.
        final Path keys = data.resolve("keys").resolve("journal.keys");
        final Path keysAway = root.resolve("journal.keys");
        Files.move(keys, keysAway);
        final String[] refused = dump(data, "--unmask", "--request-id", ids.get(1).toString());
        assertThat(refused[0]).isEqualTo("2");
        assertThat(refused[2]).contains("journal dump --unmask: no key ring at " + keys);
        assertThat(refused[1]).doesNotContain(PERSONAL_NUMBER);
        final String[] unmasked = dump(data, "--unmask", "--request-id", ids.get(1).toString(), "--key-file",
            keysAway.toString());
        assertThat(unmasked[0]).as(unmasked[2]).isEqualTo("0");
        assertThat(unmasked[1]).contains("ACCEPTED").contains("personal: personalNumber=" + PERSONAL_NUMBER)
            .contains("nameKanji=\"" + NAME_KANJI + "\"").contains("address=\"" + ADDRESS + "\"");
        assertThat(unmasked[2]).contains("this reading is journaled at index");
        final String[] audit = dump(data, "--key-file", keysAway.toString());
        assertThat(audit[1]).contains("AUDIT").contains("actor=tool:" + System.getProperty("user.name") + "@")
            .contains("action=journal-unmask").contains("request " + ids.get(1)).doesNotContain(PERSONAL_NUMBER);
        assertThat(FileBytes.filesContaining(data, PERSONAL_NUMBER.getBytes(StandardCharsets.UTF_8)))
            .as("the reading wrote nothing personal").isEmpty();
        assertEveryFileOwnerOnly(data);
    }

    /** Exit code, stdout and stderr of {@code chukei journal dump --data DATA ...} over the last hour. */
    private static String[] dump(final Path data, final String... more)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = ChukeiCommand.commandLine();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        final String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("journal", "dump", "--data",
            data.toString()), java.util.Arrays.stream(more)).toArray(String[]::new);
        final int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    private static SubmitRequest preissue(final UUID id)
    {
        return SubmitRequest.builder(Operation.PREISSUE_SETUP).requestId(id)
            .personalNumber(PERSONAL_NUMBER).residentCode(RESIDENT_CODE).dateOfBirth("19800101")
            .nameKanji(NAME_KANJI).nameKana(NAME_KANA).address(ADDRESS).applicationId("12345678901234567890123").build();
    }

    private static void assertEveryFileOwnerOnly(final Path data) throws Exception
    {
        assertThat(mode(data)).isEqualTo("rwx------");
        try (Stream<Path> paths = Files.walk(data))
        {
            for (final Path path : paths.toList())
            {
                assertThat(mode(path)).as("mode of %s", path).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
    }

    private static String mode(final Path path) throws Exception
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static String trace(final Path data, final UUID id)
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = ChukeiCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("journal", "trace", "--data", data.toString(), id.toString())).isZero();
        return out.toString();
    }
}
