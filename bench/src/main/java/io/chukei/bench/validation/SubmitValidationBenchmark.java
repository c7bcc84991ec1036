package io.chukei.bench.validation;

import io.chukei.bench.codec.ForkOptions;
import io.chukei.bench.codec.SubmitFixtures;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.validation.Repertoire;
import io.chukei.protocol.validation.SubmitValidator;
import io.chukei.protocol.validation.ValidationConfig;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of validating one Submit the way the relay does it on the event loop: the structural
 * check of {@link MessageReader#wrap} and then {@link SubmitValidator#validate} with the default
 * {@link ValidationConfig} (system clock in Asia/Tokyo) and the text repertoire of
 * {@code -p repertoire=...}: {@value Repertoire#JAPANESE_NAMES} (the default) or
 * {@value Repertoire#JIS_X_0213}, to compare the profiles in one run.
 * <ul>
 *   <li>{@code validate}: wrap + every field rule; for {@code operation=PREISSUE_SETUP} that
 *       includes UTF-8, NFC and repertoire checks of a kanji name, a kana name and a long
 *       address; {@code CARD_STATUS} has a card id and no text;</li>
 *   <li>{@code baselineStructuralCheck}: wrap only, on the same message, so
 *       {@code validate - baselineStructuralCheck} is what the field rules cost.</li>
 * </ul>
 * The messages sit in pooled direct buffers, SOFH header stripped, as the frame decoder hands
 * them on. Run from the worktree root after {@code mvn -B -o -q -DskipTests package}:
 * <pre>
 *   ops/chukei jmh SubmitValidationBenchmark -prof gc                               # full
 *   ops/chukei jmh SubmitValidationBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc   # quick
 * </pre>
 * Read the results as ratios to the baseline measured in the same run; gc.alloc.rate.norm
 * should be ~0 B/op for every case (a rejection builds a detail string; a valid Submit does not).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsPrepend = {
    ForkOptions.EXECUTOR, ForkOptions.EXECUTOR_CLASS, ForkOptions.NO_LEAK_DETECTION})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class SubmitValidationBenchmark
{
    public static final String PREISSUE_SETUP = "PREISSUE_SETUP";
    public static final String CARD_STATUS = "CARD_STATUS";

    @Param({PREISSUE_SETUP, CARD_STATUS})
    public String operation;

    @Param({Repertoire.JAPANESE_NAMES})
    public String repertoire = Repertoire.JAPANESE_NAMES;

    private final MessageReader reader = new MessageReader();
    private final ValidationResult result = new ValidationResult();
    private SubmitValidator validator;
    private ByteBuf frame;
    private ByteBuf message;

    @Setup
    public void setup()
    {
        validator = new SubmitValidator(ValidationConfig.builder().repertoire(repertoire).build());
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(SubmitFixtures.MAX_BODY_LENGTH * 2);
        final long deadlineEpochMs = SubmitFixtures.deadlineADayFromNow();
        final int frameLength;
        switch (operation)
        {
            case PREISSUE_SETUP:
                frameLength = SubmitFixtures.writePreissueSetup(new FrameWriter(), new SubmitEncoder(), frame,
                    deadlineEpochMs);
                break;
            case CARD_STATUS:
                frameLength = SubmitFixtures.writeCardStatus(new FrameWriter(), new SubmitEncoder(), frame,
                    deadlineEpochMs);
                break;
            default:
                throw new IllegalArgumentException(
                    "operation: " + operation + " (expected: " + PREISSUE_SETUP + " or " + CARD_STATUS + ")");
        }
        message = frame.slice(SofhFrame.HEADER_LENGTH, frameLength - SofhFrame.HEADER_LENGTH);
    }

    @TearDown
    public void tearDown()
    {
        frame.release();
    }

    @Benchmark
    public ErrorCode baselineStructuralCheck()
    {
        return reader.wrap(message);
    }

    @Benchmark
    public ErrorCode validate()
    {
        final ErrorCode structure = reader.wrap(message);
        if (structure != ErrorCode.NO_ERROR)
        {
            return structure;
        }
        return validator.validate(reader.submit(), reader.length(), result);
    }

    /** The outcome of the last {@link #validate()}, with field and detail when it failed. */
    ValidationResult result()
    {
        return result;
    }
}
