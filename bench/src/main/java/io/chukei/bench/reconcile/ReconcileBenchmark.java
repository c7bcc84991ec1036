package io.chukei.bench.reconcile;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.gateway.reconcile.AppliedExport;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;

/**
 * Reconciliation of a large journal. {@code generate DIR ENTRIES [sealed]} writes a journal (sealed with a new key
 * when asked; reconcile reads the clear part either way) of ENTRIES entries through
 * the Journal API (ACCEPTED, FORWARDED, COMPLETED per request; half the requests in batches of 5,000) to
 * DIR/node1..4/journal
 * and card management's export to DIR/export.csv, with {@link #DROPPED} requests left out of the export (silent drops)
 * and {@link #PENDING} left without an answer, so the run has known findings. {@code run DIR [SORT_FACTS]} runs
 * {@code chukei reconcile} on it in this JVM and prints wall time, peak heap and GC.
 * <p>
 * Run: {@code java <flags> -Xmx256m -cp bench/target/chukei-bench.jar io.chukei.bench.reconcile.ReconcileBenchmark run DIR}
 */
public final class ReconcileBenchmark
{
    static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    static final int DROPPED = 10;
    static final int PENDING = 10;
    private static final int BATCH_SIZE = 5_000;
    /**
     * Journals the entries are spread over, as a cluster's nodes would (a batch's members land on every node). Four,
     * also because one cycle file grown past 1 GiB crashed the JVM in the append path (SIGSEGV; reported, not fixed).
     */
    private static final int NODES = 4;
    private static final String[] MUNICIPALITIES = {"131016", "011002", "422011", "271004"};

    private ReconcileBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length >= 3 && args[0].equals("generate"))
        {
            generate(Path.of(args[1]), Long.parseLong(args[2]), args.length > 3 && args[3].equals("sealed"));
        }
        else if (args.length >= 2 && args[0].equals("run"))
        {
            run(Path.of(args[1]), args.length > 2 ? args[2] : null);
        }
        else
        {
            System.err.println("usage: ReconcileBenchmark generate DIR ENTRIES [sealed] | run DIR [SORT_FACTS]");
            System.exit(2);
        }
    }

    private static void generate(final Path dir, final long entries, final boolean sealed) throws Exception
    {
        final long requests = entries / 3;
        final SetTimeProvider clock = new SetTimeProvider(DAY.atTime(0, 30).toInstant(ZoneOffset.UTC));
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer[] codes = new UnsafeBuffer[MUNICIPALITIES.length];
        for (int m = 0; m < codes.length; m++)
        {
            codes[m] = new UnsafeBuffer(MUNICIPALITIES[m].getBytes(StandardCharsets.US_ASCII));
        }
        final long startNs = System.nanoTime();
        final Journal[] journals = new Journal[NODES];
        for (int i = 0; i < NODES; i++)
        {
            final Path node = dir.resolve("node" + (i + 1));
            Files.createDirectories(node);
            journals[i] = Journal.open(JournalConfig.builder().directory(node.resolve("journal")).nodeId(i + 1)
                .timeProvider(clock).keys(sealed ? JournalKeys.loadOrCreate(node.resolve("journal.keys")) : null).build());
        }
        try (Writer export = Files.newBufferedWriter(dir.resolve("export.csv"), StandardCharsets.US_ASCII))
        {
            AppliedExport.writeHeader(export);
            final Instant appliedAt = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
            for (long n = 0; n < requests; n++)
            {
                // Even requests are batch members (every batch within one municipality), odd ones stand alone.
                final boolean batched = n % 2 == 0;
                final long member = n / 2;
                final int m = (int)((batched ? member / BATCH_SIZE : member) % MUNICIPALITIES.length);
                final int scope = Integer.parseInt(MUNICIPALITIES[m]);
                final UUID id = new UUID(0x0190_0000_0000_7000L | n >>> 32 << 16, 0x8000_0000_0000_0000L | n);
                final int length = encode(submit, id, MUNICIPALITIES[m], batched ? member / BATCH_SIZE + 1 : -1,
                    member % BATCH_SIZE + 1);
                final Journal journal = journals[(int)(n % NODES)];
                journal.appendAccepted(id.getMostSignificantBits(), id.getLeastSignificantBits(), 1, 1L, codes[m], 0, (byte)1,
                    1_800_000_000_000L, n, submit, 0, length);
                journal.appendForwarded(scope, id.getMostSignificantBits(), id.getLeastSignificantBits(), 0, 1, false);
                final boolean pending = n % (requests / PENDING) == 1;
                if (!pending)
                {
                    journal.appendCompleted(scope, id.getMostSignificantBits(), id.getLeastSignificantBits(), (byte)1, 0, false,
                        empty, 0, 0, empty, 0, 0);
                }
                final boolean dropped = n % (requests / DROPPED) == 3;
                if (!pending && !dropped)
                {
                    AppliedExport.writeLine(export, new AppliedExport.Line(MUNICIPALITIES[m], id, 1, appliedAt, "OK", 0));
                }
                clock.advanceMicros(1);
            }
        }
        finally
        {
            for (final Journal journal : journals)
            {
                journal.close();
            }
        }
        System.out.printf("generated %,d requests (%,d journal entries) in %.1f s; %d silent drops and %d unanswered planted%n",
            requests, requests * 3 - PENDING, (System.nanoTime() - startNs) / 1e9, DROPPED, PENDING);
    }

    private static int encode(final UnsafeBuffer buffer, final UUID id, final String municipality, final long batchId,
        final long sequence)
    {
        final SubmitEncoder encoder = new SubmitEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        encoder.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
        encoder.municipalityCode(municipality)
            .operation(Operation.PREISSUE_SETUP)
            .priority(Priority.BATCH)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(1_800_000_000_000L)
            .batchId(batchId < 0 ? SubmitEncoder.batchIdNullValue() : batchId)
            .batchSequence(batchId < 0 ? SubmitEncoder.batchSequenceNullValue() : sequence)
            .batchSize(batchId < 0 ? SubmitEncoder.batchSizeNullValue() : BATCH_SIZE)
            .personalNumber("000000000000")
            .residentCode("00000000000")
            .dateOfBirth("19800101");
        encoder.nameKanji("山田　太郎").nameKana("ヤマダ　タロウ").address("東京都千代田区千代田一丁目一番一号")
            .cardId("CARD-0000000000000001").applicationId("APP-2026-000000000001");
        encoder.putPinBlock(new byte[16], 0, 16);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static void run(final Path dir, final String sortFacts) throws Exception
    {
        Files.createDirectories(dir.resolve("work"));
        System.gc();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            pool.resetPeakUsage();
        }
        final long gcBefore = gcCount();
        final long gcTimeBefore = gcTimeMs();
        final StringWriter report = new StringWriter();
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(report));
        final long startNs = System.nanoTime();
        final long cpuBeforeNs = processCpuNs();
        final java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("reconcile", "--date",
            DAY.toString(), "--upstream-ledger", dir.resolve("export.csv").toString(), "--work-dir", dir.resolve("work").toString(),
            "--journals"));
        for (int i = 0; i < NODES; i++)
        {
            arguments.add(dir.resolve("node" + (i + 1)).toString());
        }
        if (sortFacts != null)
        {
            arguments.add("--sort-facts");
            arguments.add(sortFacts);
        }
        final int exit = command.execute(arguments.toArray(String[]::new));
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        final long cpuMs = (processCpuNs() - cpuBeforeNs) / 1_000_000;
        long peakHeap = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP)
            {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        final String[] lines = report.toString().split("\n");
        for (int i = Math.max(0, lines.length - 6); i < lines.length; i++)
        {
            System.out.println("  | " + lines[i]);
        }
        // CPU time beside wall time: on the shared machine the wall time says as much about the other sessions.
        System.out.printf("reconcile: exit %d, %,d ms wall, %,d ms CPU (all threads), peak heap %.1f MiB (max heap %.0f MiB), " +
            "%d GCs (%d ms)%n", exit, elapsedMs, cpuMs, peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, gcCount() - gcBefore,
            gcTimeMs() - gcTimeBefore);
    }

    private static long processCpuNs()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcCount()
    {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcTimeMs()
    {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
