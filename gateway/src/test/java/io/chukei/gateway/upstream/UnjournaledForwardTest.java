package io.chukei.gateway.upstream;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.SmallDisk;
import io.chukei.gateway.relay.InFlightRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A forward the journal cannot record is not sent: the journal must say an attempt may have left before it does, or a
 * restart takes a request card management may have applied for one that never left (and answers it
 * DEADLINE_EXCEEDED). On a real full disk whose last margin is spent, the attempt is refused, counted as applying
 * nothing, and tried again after the back-off until space returns; then it goes, once, with its one FORWARDED entry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnjournaledForwardTest
{
    private static final int SCOPE = OneLinkUpstream.SCOPE;
    private static final long ID_HI = 77;
    private static final long ID_LO = 1;
    private static final long PREALLOCATE = 1L << 20;

    @TempDir
    Path directory;

    @Test
    void aForwardTheJournalCannotRecordStaysUnsentUntilSpaceReturns() throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(directory, "4m");
             Journal journal = Journal.open(JournalConfig.builder().directory(disk.root().resolve("journal"))
                 .nodeId(OneLinkUpstream.NODE_ID).preallocateBytes(PREALLOCATE).build());
             // Answers held for a minute: the test sees the forward arrive and nothing comes back meanwhile.
             CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder().port(0)
                 .serviceTimeMs(60_000).dataDirectory(directory.resolve("upstream")).build()).start();
             OneLinkUpstream upstream = new OneLinkUpstream(journal, cardManagement.ports().get(0)))
        {
            // A first entry opens the cycle file, and the guard allocates its window ahead before the disk fills.
            assertThat(journal.appendForwarded(SCOPE, ID_HI + 1, 0, 1, 1, false)).isNotNegative();
            await("the window allocated").atMost(Duration.ofSeconds(5))
                .until(() -> journal.spaceHeadroomBytes() >= PREALLOCATE * 7 / 8);
            final Path filler = disk.root().resolve("filler");
            SmallDisk.fill(filler);
            await("the guard notices the full disk").atMost(Duration.ofSeconds(5)).until(() -> journal.spaceProblem() != null);
            spendTheLastMargin(journal);
            final long failuresBefore = journal.appendFailures();

            final InFlightRequest request = upstream.forward(ID_HI, ID_LO);

            await("three attempts refused by the journal").atMost(Duration.ofSeconds(10))
                .until(() -> journal.appendFailures() >= failuresBefore + 3);
            assertThat(received(cardManagement)).as("forwards card management received").isZero();
            assertThat(request.attemptsMaybeApplied()).as("attempts that may have been applied").isZero();
            assertThat(forwardedEntries(journal)).isEmpty();

            Files.delete(filler);
            await("the forward goes once space returns").atMost(Duration.ofSeconds(10))
                .until(() -> received(cardManagement) == 1);
            final List<JournalEvent> forwarded = forwardedEntries(journal);
            assertThat(forwarded).as("FORWARDED entries").hasSize(1);
            assertThat(forwarded.get(0).summary()).contains("attempt=" + request.forwardAttempts())
                .contains("possibleDuplicate=true");
            assertThat(request.attemptsMaybeApplied()).isEqualTo(1);
            assertThat(request.submit().refCnt()).as("the Submit held by its request alone").isEqualTo(1);
        }
    }

    /** Entries that finish accepted work fill what was allocated before the disk filled, down to the margin. */
    private static void spendTheLastMargin(final Journal journal)
    {
        for (long lo = 1; lo < 1_000_000; lo++)
        {
            if (journal.appendForwarded(SCOPE, ID_HI + 1, lo, 1, 1, false) == Journal.APPEND_FAILED)
            {
                return;
            }
        }
        throw new AssertionError("the journal never refused a FORWARDED entry on a full disk");
    }

    private static List<JournalEvent> forwardedEntries(final Journal journal)
    {
        return journal.trace(ID_HI, ID_LO).stream().filter(e -> e.type() == JournalEventType.FORWARDED).toList();
    }

    private static long received(final CardSimulator cardManagement)
    {
        return cardManagement.stats().snapshot().received();
    }
}
