package io.chukei.gateway.cardsim;

import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerTest
{
    private static final UUID FIRST = UUID.fromString("0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f");
    private static final UUID SECOND = UUID.fromString("0190c6a8-52e4-7b31-9a55-3f0e2c4d5e70");
    private static final long AT = 1_780_000_000_123L;

    @TempDir
    Path directory;

    @Test
    void anApplicationIsOneLineWithEveryField() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            ledger.applied(FIRST, "131016", Operation.CARD_ISSUE.value(), Verdict.stored(
                Operation.CARD_ISSUE.value(), OutcomeStatus.OK, 0), AT, 3, 2);
        }

        assertThat(Files.readAllLines(Ledger.file(directory)))
            .contains("APPLIED,0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f,131016,CARD_ISSUE,OK,0,2026-05-28T20:26:40.123Z,3,2");
    }

    @Test
    void eachLineKeepsItsMillisecondAcrossSecondsAndAtAWholeSecond() throws Exception
    {
        // The second is formatted once and reused: lines in one second, the next, and at .000 each keep their instant.
        final long[] times = {1_780_000_000_000L, 1_780_000_000_007L, 1_780_000_000_999L, 1_780_000_001_050L,
            1_780_000_060_000L};
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            for (final long at : times)
            {
                ledger.applied(UUID.randomUUID(), "131016", Operation.CARD_ISSUE.value(), ok(), at, 1, 1);
            }
        }

        assertThat(Ledger.read(directory)).extracting(entry -> entry.at().toEpochMilli())
            .containsExactly(1_780_000_000_000L, 1_780_000_000_007L, 1_780_000_000_999L, 1_780_000_001_050L,
                1_780_000_060_000L);
        assertThat(Files.readString(Ledger.file(directory))).contains(",2026-05-28T20:26:40.000Z,")
            .contains(",2026-05-28T20:27:40.000Z,");
    }

    @Test
    void aLineLongerThanTheReusedBufferIsWrittenWhole() throws Exception
    {
        final String longMunicipality = "1".repeat(600);
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            ledger.applied(FIRST, longMunicipality, Operation.CARD_ISSUE.value(), ok(), AT, 1, 1);
            ledger.applied(SECOND, "131016", Operation.CARD_ISSUE.value(), ok(), AT, 1, 1);
        }

        assertThat(Ledger.read(directory)).extracting(Ledger.Entry::municipality)
            .containsExactly(longMunicipality, "131016");
    }

    @Test
    void appliedCountsCountApplicationsPerIdAndIgnoreDuplicates() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
            apply(ledger, SECOND);
            ledger.duplicate(FIRST, "131016", Operation.CARD_ISSUE.value(), ok(), AT, 2, 2);
        }

        assertThat(Ledger.appliedCounts(directory)).containsExactlyInAnyOrderEntriesOf(Map.of(FIRST, 1, SECOND, 1));
        assertThat(Ledger.duplicateCount(directory)).isEqualTo(1);
    }

    @Test
    void aDoubleApplicationShowsAsCountTwo() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
            apply(ledger, FIRST);
        }

        assertThat(Ledger.appliedCounts(Ledger.file(directory))).containsEntry(FIRST, 2);
    }

    @Test
    void reopeningHandsOverEveryEarlierLine() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
            ledger.applied(SECOND, "131016", Operation.CARD_STATUS.value(), Verdict.CARD_NOT_FOUND_REFUSAL, AT, 1, 1);
        }
        final List<Ledger.Entry> reloaded = new ArrayList<>();

        Ledger.open(directory, reloaded::add).close();

        assertThat(reloaded).extracting(Ledger.Entry::requestId).containsExactly(FIRST, SECOND);
        assertThat(reloaded.get(1).status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(reloaded.get(1).upstreamCode()).isEqualTo(404);
    }

    @Test
    void aTornLastLineIsSkippedAndTheNextLineStartsClean() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
        }
        Files.writeString(Ledger.file(directory), "APPLIED,0190c6a8-52e4", StandardCharsets.US_ASCII,
            StandardOpenOption.APPEND);

        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, SECOND);
        }

        assertThat(Ledger.appliedCounts(directory)).containsExactlyInAnyOrderEntriesOf(Map.of(FIRST, 1, SECOND, 1));
    }

    /**
     * A line damaged above the last (a changed byte, a cut): the simulator does not start, naming the line. Skipped,
     * its decision would be forgotten and the request applied again when re-forwarded.
     */
    @Test
    void aDamagedLineAboveTheLastStopsTheOpenNamingTheLine() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
            apply(ledger, SECOND);
        }
        final Path file = Ledger.file(directory);
        final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        lines.set(2, lines.get(2).replace("APPLIED,", "APPLIED;"));
        Files.write(file, lines, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Ledger.open(directory, entry -> { }))
            .isInstanceOf(java.io.IOException.class)
            .hasMessageContaining("ledger " + file + ": line 3 is unreadable ('APPLIED;")
            .hasMessageContaining("restore the file from a copy");
    }

    @Test
    void aByteThatIsNotAsciiStopsTheOpenNamingTheLine() throws Exception
    {
        try (Ledger ledger = Ledger.open(directory, entry -> { }))
        {
            apply(ledger, FIRST);
        }
        final Path file = Ledger.file(directory);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] |= (byte)0x80;
        Files.write(file, bytes);

        assertThatThrownBy(() -> Ledger.open(directory, entry -> { }))
            .isInstanceOf(java.io.IOException.class)
            .hasMessageContaining("ledger " + file + ": line 3 holds a byte that is not ASCII");
    }

    @Test
    void aMissingLedgerHasNoApplications()
    {
        assertThat(Ledger.appliedCounts(directory.resolve("nowhere"))).isEmpty();
    }

    private static void apply(final Ledger ledger, final UUID id)
    {
        assertThat(ledger.applied(id, "131016", Operation.CARD_ISSUE.value(), ok(), AT, 1, 1)).isTrue();
    }

    private static Verdict ok()
    {
        return Verdict.stored(Operation.CARD_ISSUE.value(), OutcomeStatus.OK, 0);
    }
}
