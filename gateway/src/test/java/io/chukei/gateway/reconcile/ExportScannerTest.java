package io.chukei.gateway.reconcile;

import io.chukei.protocol.codec.MunicipalityCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte scanner reads every line exactly as the contract's String reader ({@link AppliedExport#parse}) does. */
class ExportScannerTest
{
    @TempDir
    Path dir;

    private record Fields(int municipality, long idHi, long idLo, int count, long atMs, boolean ok, int code, long line)
    {
    }

    @Test
    void linesInTheWrittenFormReadAsTheContractsReaderReadsThem() throws Exception
    {
        final Random random = new Random(13);
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++)
        {
            final Instant at = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            final UUID id = new UUID(random.nextLong(), random.nextLong());
            lines.add(String.format("%06d,%s,%d,%s,%s,%d", random.nextInt(1_000_000),
                random.nextBoolean() ? id.toString() : id.toString().toUpperCase(java.util.Locale.ROOT),
                1 + random.nextInt(random.nextBoolean() ? 3 : Integer.MAX_VALUE), at,
                random.nextBoolean() ? "OK" : "REFUSED", random.nextInt() % 1000));
        }

        assertScannerAgreesWithTheContractReader(lines);
    }

    @Test
    void otherFormsTheContractReaderAcceptsReadTheSame() throws Exception
    {
        assertScannerAgreesWithTheContractReader(List.of(
            "131016,1-2-3-4-5,1,2026-12-04T09:00:00Z,OK,0",
            "131016," + UUID.randomUUID() + ",+2,2026-12-04T09:00:00.5Z,OK,+7",
            "131016," + UUID.randomUUID() + ",1,2024-02-29T23:59:59.999999999Z,REFUSED,-12",
            "131016," + UUID.randomUUID() + ",1,1969-12-31T23:59:59.999Z,OK,0",
            "131016," + UUID.randomUUID() + ",0000000001,2026-12-04T09:00:00Z,OK,2147483647",
            "131016," + UUID.randomUUID() + ",1,2016-12-31T23:59:60Z,OK,0",
            "131016," + UUID.randomUUID() + ",1,2026-12-04T24:00:00Z,OK,0"));
    }

    @Test
    void aLineNotInTheContractIsRefusedNamingTheLineAndFieldAsTheContractReaderDoes() throws Exception
    {
        for (final String bad : List.of(
            "131016," + UUID.randomUUID() + ",1,2023-02-29T09:00:00Z,OK,0",
            "131016," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,ok,0",
            "131016," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,OK,",
            "13101," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,OK,0",
            "131016," + UUID.randomUUID().toString().replace('a', 'g').replace('b', 'g') + "0,1,2026-12-04T09:00:00Z,OK,0",
            "131016," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,OK,0,extra"))
        {
            final Path file = export(List.of(bad));
            final String expected = message(() -> AppliedExport.parse(file, 3, bad));
            assertThat(expected).as("the contract reader refuses %s", bad).isNotNull();
            assertThat(message(() -> ExportScanner.read(file, (m, hi, lo, count, at, ok, code, line) -> { })))
                .isEqualTo(expected);
        }
    }

    @Test
    void crLfLineEndsAndAMissingLastLineEndAreRead() throws Exception
    {
        final Path file = dir.resolve("crlf.csv");
        final UUID id = UUID.randomUUID();
        Files.writeString(file, AppliedExport.MAGIC + "\r\n" + AppliedExport.HEADER + "\r\n# a comment\r\n\r\n" +
            "131016," + id + ",2,2026-12-04T09:00:00.123Z,OK,0\r\n011002," + id + ",1,2026-12-04T09:00:01Z,REFUSED,4");
        final List<Fields> read = scan(file);

        assertThat(read).containsExactly(
            new Fields(131016, id.getMostSignificantBits(), id.getLeastSignificantBits(), 2,
                Instant.parse("2026-12-04T09:00:00.123Z").toEpochMilli(), true, 0, 5),
            new Fields(11002, id.getMostSignificantBits(), id.getLeastSignificantBits(), 1,
                Instant.parse("2026-12-04T09:00:01Z").toEpochMilli(), false, 4, 6));
    }

    @Test
    void epochDaysAreThoseOfTheCalendar()
    {
        for (LocalDate date = LocalDate.of(-1, 1, 1); date.getYear() < 2401; date = date.plusDays(17))
        {
            assertThat(ExportScanner.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()))
                .as("%s", date).isEqualTo(date.toEpochDay());
        }
    }

    private void assertScannerAgreesWithTheContractReader(final List<String> lines) throws Exception
    {
        final Path file = export(lines);
        final List<Fields> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final AppliedExport.Line line = AppliedExport.parse(file, i + 3, lines.get(i));
            expected.add(new Fields(MunicipalityCodes.parse(line.municipality()), line.requestId().getMostSignificantBits(),
                line.requestId().getLeastSignificantBits(), line.appliedCount(), line.firstAppliedAt().toEpochMilli(),
                line.status().equals("OK"), line.upstreamCode(), i + 3));
        }

        assertThat(scan(file)).containsExactlyElementsOf(expected);
    }

    private static List<Fields> scan(final Path file)
    {
        final List<Fields> read = new ArrayList<>();
        ExportScanner.read(file, (municipality, idHi, idLo, count, atMs, ok, code, line) ->
            read.add(new Fields(municipality, idHi, idLo, count, atMs, ok, code, line)));
        return read;
    }

    private Path export(final List<String> lines) throws Exception
    {
        final Path file = Files.createTempFile(dir, "export", ".csv");
        Files.writeString(file, AppliedExport.MAGIC + "\n" + AppliedExport.HEADER + "\n" + String.join("\n", lines) + "\n",
            StandardCharsets.US_ASCII);
        return file;
    }

    private static String message(final Runnable action)
    {
        try
        {
            action.run();
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
    }
}
