package io.chukei.protocol.client.outbox;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorOutboxTest
{
    private static final String MUNICIPALITY = "131016";
    private static final String OTHER = "422011";
    private static final long SUBMITTED_AT = 1_780_000_000_000L;

    @TempDir
    Path directory;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T10:15:00Z"));

    @Test
    void aRequestAppendedWithoutAnAnswerIsHandedBackAtTheNextOpening() throws Exception
    {
        final UUID id = UUID.randomUUID();
        final byte[] frame = TestFrames.cardIssue(id, MUNICIPALITY, 1_900_000_000_000L);
        try (ConnectorOutbox outbox = open())
        {
            assertThat(outbox.appendSubmit(frame, SUBMITTED_AT)).isNotEqualTo(ConnectorOutbox.APPEND_FAILED);
        }

        try (ConnectorOutbox outbox = open())
        {
            assertThat(outbox.recoveredAtOpen()).isEqualTo(1);
            final List<RecoveredRequest> recovered = outbox.takeUnresolved(MUNICIPALITY);
            assertThat(recovered).singleElement().satisfies(request ->
            {
                assertThat(request.requestId()).isEqualTo(id);
                assertThat(request.municipality()).isEqualTo(MUNICIPALITY);
                assertThat(request.submittedAtEpochMs()).isEqualTo(SUBMITTED_AT);
                assertThat(request.deadlineEpochMs()).isEqualTo(1_900_000_000_000L);
                assertThat(request.frame()).isEqualTo(frame);
            });
            assertThat(outbox.takeUnresolved(MUNICIPALITY)).as("taken once").isEmpty();
        }
    }

    @Test
    void anAnsweredRequestIsNotHandedBack() throws Exception
    {
        final byte[] answered = TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L);
        final UUID openId = UUID.randomUUID();
        try (ConnectorOutbox outbox = open())
        {
            final long index = outbox.appendSubmit(answered, SUBMITTED_AT);
            outbox.appendSubmit(TestFrames.cardIssue(openId, MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);
            outbox.appendAnswer(answered, SUBMITTED_AT, index, (byte)1, false, OutcomeStatus.OK.value(), SUBMITTED_AT + 5);
        }

        try (ConnectorOutbox outbox = open())
        {
            assertThat(outbox.takeUnresolved(MUNICIPALITY)).extracting(RecoveredRequest::requestId).containsExactly(openId);
        }
    }

    @Test
    void eachMunicipalityTakesBackOnlyItsOwnRequests() throws Exception
    {
        final UUID mine = UUID.randomUUID();
        final UUID theirs = UUID.randomUUID();
        try (ConnectorOutbox outbox = open())
        {
            outbox.appendSubmit(TestFrames.cardIssue(mine, MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);
            outbox.appendSubmit(TestFrames.cardIssue(theirs, OTHER, 1_900_000_000_000L), SUBMITTED_AT);
        }

        try (ConnectorOutbox outbox = open())
        {
            assertThat(outbox.takeUnresolved(MUNICIPALITY)).extracting(RecoveredRequest::requestId).containsExactly(mine);
            assertThat(outbox.takeUnresolved(OTHER)).extracting(RecoveredRequest::requestId).containsExactly(theirs);
        }
    }

    @Test
    void recordsGiveEachRequestsLatestStateWithItsBatchPlace() throws Exception
    {
        final UUID ok = UUID.randomUUID();
        final UUID rejected = UUID.randomUUID();
        final UUID pending = UUID.randomUUID();
        try (ConnectorOutbox outbox = open())
        {
            final byte[] okFrame = TestFrames.batchMember(ok, MUNICIPALITY, 77, 1, 3);
            final byte[] rejectedFrame = TestFrames.batchMember(rejected, MUNICIPALITY, 77, 2, 3);
            final long okIndex = outbox.appendSubmit(okFrame, SUBMITTED_AT);
            final long rejectedIndex = outbox.appendSubmit(rejectedFrame, SUBMITTED_AT + 1);
            outbox.appendSubmit(TestFrames.cardIssue(pending, MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT + 2);
            outbox.appendAnswer(okFrame, SUBMITTED_AT, okIndex, (byte)1, false, OutcomeStatus.OK.value(), SUBMITTED_AT + 9);
            outbox.appendAnswer(rejectedFrame, SUBMITTED_AT + 1, rejectedIndex, (byte)2, true,
                ErrorCode.DEADLINE_EXCEEDED.value(), SUBMITTED_AT + 10);
        }

        assertThat(records()).containsExactly(
            new OutboxRecord(ok.toString(), MUNICIPALITY, "77", 1, 3, SUBMITTED_AT, "OK"),
            new OutboxRecord(rejected.toString(), MUNICIPALITY, "77", 2, 3, SUBMITTED_AT + 1, "DEADLINE_EXCEEDED"),
            new OutboxRecord(pending.toString(), MUNICIPALITY, null, 0, 0, SUBMITTED_AT + 2, null));
    }

    @Test
    void aRequestStillUnresolvedAfterTwoOpeningsIsOneRecord() throws Exception
    {
        final UUID id = UUID.randomUUID();
        try (ConnectorOutbox outbox = open())
        {
            outbox.appendSubmit(TestFrames.cardIssue(id, MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);
        }
        open().close();
        open().close();

        assertThat(records()).singleElement().satisfies(record ->
        {
            assertThat(record.requestId()).isEqualTo(id.toString());
            assertThat(record.finalAnswer()).isNull();
        });
    }

    @Test
    void retentionDeletesOldCycleFilesButKeepsOneHoldingAnUnresolvedRequest() throws Exception
    {
        final byte[] open = TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L);
        try (ConnectorOutbox outbox = open())
        {
            final long index = outbox.appendSubmit(open, SUBMITTED_AT);
            clock.advance(Duration.ofHours(30));
            outbox.appendSubmit(TestFrames.cardIssue(UUID.randomUUID(), OTHER, 1_900_000_000_000L), SUBMITTED_AT);
            assertThat(cycleFiles()).hasSize(2);

            assertThat(outbox.applyRetention()).as("the old hour holds an unresolved request").isZero();

            outbox.appendAnswer(open, SUBMITTED_AT, index, (byte)1, false, OutcomeStatus.OK.value(), clock.millis());
            assertThat(outbox.applyRetention()).isEqualTo(1);
            assertThat(cycleFiles()).hasSize(1);
        }
        assertThat(records()).extracting(OutboxRecord::finalAnswer).as("the answer alone still tells the story")
            .containsExactly("OK", null);
    }

    @Test
    void filesYoungerThanTheRetentionStay() throws Exception
    {
        final byte[] frame = TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L);
        try (ConnectorOutbox outbox = open())
        {
            final long index = outbox.appendSubmit(frame, SUBMITTED_AT);
            outbox.appendAnswer(frame, SUBMITTED_AT, index, (byte)1, false, OutcomeStatus.OK.value(), SUBMITTED_AT);
            clock.advance(Duration.ofHours(23));
            outbox.appendSubmit(TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);

            assertThat(outbox.applyRetention()).isZero();
            assertThat(cycleFiles()).hasSize(2);
        }
    }

    @Test
    void anOpeningCarriesUnresolvedRequestsForwardSoOldFilesCanGo() throws Exception
    {
        final UUID id = UUID.randomUUID();
        try (ConnectorOutbox outbox = open())
        {
            outbox.appendSubmit(TestFrames.cardIssue(id, MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);
        }
        clock.advance(Duration.ofHours(48));

        try (ConnectorOutbox outbox = open())
        {
            assertThat(cycleFiles()).as("the old hour deleted at opening, its request copied into this hour").hasSize(1);
        }
        try (ConnectorOutbox outbox = open())
        {
            assertThat(outbox.takeUnresolved(MUNICIPALITY)).extracting(RecoveredRequest::requestId).containsExactly(id);
        }
    }

    @Test
    void aSecondOpeningOfTheSameDirectoryIsRefused() throws Exception
    {
        try (ConnectorOutbox outbox = open())
        {
            assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(directory.toString()).hasMessageContaining("already open");
        }
    }

    @Test
    void theOutboxIsReadableByItsOwnerOnly() throws Exception
    {
        try (ConnectorOutbox outbox = open())
        {
            outbox.appendSubmit(TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L), SUBMITTED_AT);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(directory))
        {
            assertThat(files.toList()).isNotEmpty().allSatisfy(file ->
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------"));
        }
    }

    @Test
    void syncDurabilityRunsTheSendAfterTheSync() throws Exception
    {
        try (ConnectorOutbox outbox = ConnectorOutbox.open(OutboxConfig.builder(directory).clock(clock)
            .durability(OutboxDurability.SYNC).build()))
        {
            final long index = outbox.appendSubmit(TestFrames.cardIssue(UUID.randomUUID(), MUNICIPALITY, 1_900_000_000_000L),
                SUBMITTED_AT);
            final CountDownLatch sent = new CountDownLatch(1);

            outbox.whenDurable(index, Runnable::run, sent::countDown);

            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aDirectoryThatIsNoOutboxIsNamedInTheError() throws Exception
    {
        Files.writeString(directory.resolve("notes.txt"), "hello");

        assertThatThrownBy(() -> OutboxRecords.forEach(directory, record -> { }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(directory.toString()).hasMessageContaining("chukei-outbox");
    }

    private ConnectorOutbox open() throws IOException
    {
        return ConnectorOutbox.open(OutboxConfig.builder(directory).clock(clock).build());
    }

    private List<OutboxRecord> records() throws IOException
    {
        final List<OutboxRecord> records = new ArrayList<>();
        OutboxRecords.forEach(directory, records::add);
        return records;
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
    }
}
