package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.SmallDisk;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.validation.ValidationConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
    private static final int NODE_ID = 1;
    private static final int SCOPE = 131016;
    private static final long ID_HI = 77;
    private static final long ID_LO = 1;
    private static final long PREALLOCATE = 1L << 20;

    @TempDir
    Path directory;

    @Test
    void aForwardTheJournalCannotRecordStaysUnsentUntilSpaceReturns() throws Exception
    {
        final Clock clock = Clock.systemUTC();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SmallDisk disk = SmallDisk.mount(directory, "4m");
             Journal journal = Journal.open(JournalConfig.builder().directory(disk.root().resolve("journal"))
                 .nodeId(NODE_ID).preallocateBytes(PREALLOCATE).build());
             // Answers held for a minute: the test sees the forward arrive and nothing comes back meanwhile.
             CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder().port(0)
                 .serviceTimeMs(60_000).dataDirectory(directory.resolve("upstream")).build()).start())
        {
            final RelayMetrics metrics = new RelayMetrics(NODE_ID);
            final RelayCore core = new RelayCore(NODE_ID, journal, Durability.PROCESS, metrics, clock,
                ValidationConfig.builder().clock(clock).build(), journal.recover().requests(),
                new MunicipalityRateLimiter(AdmissionConfig.defaults()));
            // Attempt timeout 30 s: the one forward that goes is not tried again within the test. Back-off 20 ms.
            final UpstreamPool pool = new UpstreamPool(NODE_ID,
                List.of(new HostPort("127.0.0.1", cardManagement.ports().get(0))), null,
                new UpstreamPool.Settings(30_000, 250, 40, 20, 1000, 5, 2000, 50, 3.0, 1), 4096, core, journal,
                metrics, clock, group, NioSocketChannel.class);
            pool.start();
            await("the link up").atMost(Duration.ofSeconds(20)).until(() -> pool.healthyCount() == 1);

            // A first entry opens the cycle file, and the guard allocates its window ahead before the disk fills.
            assertThat(journal.appendForwarded(SCOPE, ID_HI + 1, 0, 1, 1, false)).isNotNegative();
            await("the window allocated").atMost(Duration.ofSeconds(5))
                .until(() -> journal.spaceHeadroomBytes() >= PREALLOCATE * 7 / 8);
            final Path filler = disk.root().resolve("filler");
            SmallDisk.fill(filler);
            await("the guard notices the full disk").atMost(Duration.ofSeconds(5)).until(() -> journal.spaceProblem() != null);
            spendTheLastMargin(journal);
            final long failuresBefore = journal.appendFailures();

            final ByteBuf submit = submit(ID_HI, ID_LO);
            final InFlightRequest request = InFlightRequest.of(SCOPE, ID_HI, ID_LO, submit, 0,
                clock.millis() + 60_000, System.nanoTime(), null, false);
            // The hold upstream takes over from Forwarding.forward (the request's creator keeps its own).
            request.hold();
            pool.forward(request, false);

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
            assertThat(submit.refCnt()).as("the Submit held by its request alone").isEqualTo(1);
        }
        finally
        {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
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

    /** A valid CARD_STATUS Submit, SBE header and body, as a request holds it. */
    static ByteBuf submit(final long idHi, final long idLo)
    {
        final ByteBuf frame = Unpooled.buffer();
        final FrameWriter writer = new FrameWriter();
        final SubmitEncoder submit = writer.begin(frame, new SubmitEncoder(), 512);
        submit.requestId().hi(idHi).lo(idLo);
        submit.municipalityCode(String.valueOf(SCOPE)).operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(System.currentTimeMillis() + 60_000)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            .personalNumber("").residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        writer.finish(submit);
        return frame.skipBytes(SofhFrame.HEADER_LENGTH);
    }
}
