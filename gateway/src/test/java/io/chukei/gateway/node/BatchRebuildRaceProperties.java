package io.chukei.gateway.node;

import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.reconcile.TestJournal;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a start the batch accounts are rebuilt from the journal while recovered members are already being answered:
 * each live answer is journaled, then applied to the accounts ({@link BatchLedger#member}), at any point of the
 * rebuild's pass. Whatever the interleaving, the accounts must end as a rebuild of the whole journal, read after
 * everything, would leave them: an older entry the pass reads after a live update cannot undo it, and a live update
 * that found no account yet is read by the pass itself.
 */
class BatchRebuildRaceProperties
{
    private static final String MUNICIPALITY = "131016";
    private static final int SCOPE = 131016;
    private static final long BATCH = 7;
    private static final Instant AT = Instant.parse("2026-12-05T01:00:00Z");

    /** A member's story before the restart. */
    enum Before
    {
        NEVER_SENT, ACCEPTED, OUTCOME_UNKNOWN, COMPLETED_OK, COMPLETED_REFUSED, REJECTED_DEADLINE;

        boolean pending()
        {
            return this == ACCEPTED || this == OUTCOME_UNKNOWN;
        }
    }

    /** What happens to a pending member after the restart, while or after the accounts are rebuilt. */
    enum After
    {
        NOTHING, OUTCOME_UNKNOWN, COMPLETED_OK, COMPLETED_REFUSED, REJECTED_DEADLINE, OUTCOME_UNKNOWN_THEN_OK
    }

    @Property(tries = 60)
    void liveMemberAnswersDuringTheRebuildEndAsARebuildOfTheWholeJournal(
        @ForAll("members") final List<Before> before, @ForAll("stories") final List<After> after,
        @ForAll final long interleavingSeed) throws Exception
    {
        final Path directory = Files.createTempDirectory("batch-rebuild-race");
        try (TestJournal journal = new TestJournal(directory, 1, AT, null))
        {
            final int size = before.size();
            journal.declare(MUNICIPALITY, BATCH, size);
            for (int i = 0; i < size; i++)
            {
                writeBefore(journal, i + 1, size, before.get(i));
            }
            final BatchLedger live = new BatchLedger(4, 100);
            final Deque<Runnable> liveSteps = liveSteps(journal, live, before, after);
            final Random interleaving = new Random(interleavingSeed);
            // How busy the live side is against the pass: from nothing during it to a step before every entry.
            final double liveRate = interleaving.nextDouble();
            // The pass asks whether to stop before every entry: the hook where live steps of other threads fall.
            BatchAccounts.rebuild(journal.journal(), live, () ->
            {
                if (!liveSteps.isEmpty() && interleaving.nextDouble() < liveRate)
                {
                    liveSteps.removeFirst().run();
                }
                return false;
            });
            // Rebuilt: batch traffic is admitted again; what is left of the live answers comes now.
            while (!liveSteps.isEmpty())
            {
                liveSteps.removeFirst().run();
            }

            final BatchLedger whole = new BatchLedger(4, 100);
            journal.journal().forEachFact(whole.rebuilder());
            final BatchAccount expected = whole.find(SCOPE, BATCH);
            final BatchAccount actual = live.find(SCOPE, BATCH);
            assertThat(actual.snapshot().states()).as("states of sequences 1..%d", size)
                .containsExactly(expected.snapshot().states());
            for (final BatchMemberState state : List.of(BatchMemberState.NEVER_SEEN, BatchMemberState.ACCEPTED,
                BatchMemberState.OUTCOME_UNKNOWN, BatchMemberState.COMPLETED_OK, BatchMemberState.COMPLETED_REFUSED,
                BatchMemberState.REJECTED))
            {
                assertThat(actual.snapshot().count(state)).as("count of %s", state).isEqualTo(expected.snapshot().count(state));
            }
        }
        finally
        {
            deleteTree(directory);
        }
    }

    /** Where each live answer is two steps, as on an event loop: journal it, then tell the accounts. */
    private static Deque<Runnable> liveSteps(final TestJournal journal, final BatchLedger live, final List<Before> before,
        final List<After> after)
    {
        final Deque<Runnable> steps = new ArrayDeque<>();
        for (int i = 0; i < before.size(); i++)
        {
            if (!before.get(i).pending())
            {
                continue;
            }
            final int sequence = i + 1;
            final UUID id = idOf(sequence);
            final After story = after.get(i % after.size());
            if ((story == After.OUTCOME_UNKNOWN || story == After.OUTCOME_UNKNOWN_THEN_OK) &&
                before.get(i) == Before.ACCEPTED)
            {
                steps.add(() -> journal.outcomeUnknown(MUNICIPALITY, id));
                steps.add(() -> liveApply(live, sequence, BatchMemberState.OUTCOME_UNKNOWN));
            }
            final BatchMemberState verdict = switch (story)
            {
                case COMPLETED_OK, OUTCOME_UNKNOWN_THEN_OK -> BatchMemberState.COMPLETED_OK;
                case COMPLETED_REFUSED -> BatchMemberState.COMPLETED_REFUSED;
                case REJECTED_DEADLINE -> BatchMemberState.REJECTED;
                default -> null;
            };
            if (verdict != null)
            {
                steps.add(() -> writeVerdict(journal, id, verdict));
                steps.add(() -> liveApply(live, sequence, verdict));
            }
        }
        return steps;
    }

    private static void liveApply(final BatchLedger live, final int sequence, final BatchMemberState state)
    {
        final UUID id = idOf(sequence);
        live.member(SCOPE, BATCH, sequence, id.getMostSignificantBits(), id.getLeastSignificantBits(), state,
            AT.toEpochMilli());
    }

    private static void writeBefore(final TestJournal journal, final int sequence, final int size, final Before story)
    {
        if (story == Before.NEVER_SENT)
        {
            return;
        }
        final UUID id = idOf(sequence);
        journal.accept(MUNICIPALITY, id, BATCH, sequence, size).forward(MUNICIPALITY, id);
        switch (story)
        {
            case OUTCOME_UNKNOWN -> journal.outcomeUnknown(MUNICIPALITY, id);
            case COMPLETED_OK -> writeVerdict(journal, id, BatchMemberState.COMPLETED_OK);
            case COMPLETED_REFUSED -> writeVerdict(journal, id, BatchMemberState.COMPLETED_REFUSED);
            case REJECTED_DEADLINE -> writeVerdict(journal, id, BatchMemberState.REJECTED);
            default ->
            {
                // ACCEPTED: pending at the restart.
            }
        }
    }

    private static void writeVerdict(final TestJournal journal, final UUID id, final BatchMemberState verdict)
    {
        switch (verdict)
        {
            case COMPLETED_OK -> journal.complete(MUNICIPALITY, id, TestJournal.OK);
            case COMPLETED_REFUSED -> journal.complete(MUNICIPALITY, id, TestJournal.REFUSED);
            default -> journal.rejectAfterAcceptance(MUNICIPALITY, id, ErrorCode.DEADLINE_EXCEEDED.value());
        }
    }

    private static UUID idOf(final int sequence)
    {
        return new UUID(0x0123_4567_89ab_cdefL, sequence);
    }

    @Provide
    Arbitrary<List<Before>> members()
    {
        return Arbitraries.of(Before.class).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<After>> stories()
    {
        return Arbitraries.of(After.class).list().ofMinSize(1).ofMaxSize(12);
    }

    private static void deleteTree(final Path directory) throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
