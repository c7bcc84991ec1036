package io.chukei.bench.loadgen;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counts of what happened to the requests of one phase, updated from the clients' event
 * loops. Every counter exists from the start, so counting never allocates.
 */
public final class Outcomes
{
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final LongAdder sent = new LongAdder();
    private final LongAdder resultsOk = new LongAdder();
    private final LongAdder resultsRefused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Index: 2 x code ordinal, + 1 when the SDK rejected locally. */
    private final LongAdder[] rejected = new LongAdder[CODES.length * 2];

    public Outcomes()
    {
        for (int i = 0; i < rejected.length; i++)
        {
            rejected[i] = new LongAdder();
        }
    }

    public void sent()
    {
        sent.increment();
    }

    /** Counts a terminal answer; true when it is a Result. */
    public boolean answered(final Answer answer)
    {
        if (answer instanceof Answer.Result result)
        {
            result(result.status());
            return true;
        }
        final Answer.Rejected rejection = (Answer.Rejected)answer;
        rejected(rejection.code(), rejection.local());
        return false;
    }

    /** Counts a Result by its status (the raw sender, which decodes answers in place). */
    public void result(final OutcomeStatus status)
    {
        (status == OutcomeStatus.OK ? resultsOk : resultsRefused).increment();
    }

    /** Counts a refusal by its code; {@code local} when the sender decided it rather than the target. */
    public void rejected(final ErrorCode code, final boolean local)
    {
        rejected[code.ordinal() * 2 + (local ? 1 : 0)].increment();
    }

    /** A future completed exceptionally: a bug in the SDK or here, counted as an error. */
    public void failed()
    {
        failed.increment();
    }

    public long sentCount()
    {
        return sent.sum();
    }

    public long answeredCount()
    {
        long rejections = 0;
        for (final LongAdder count : rejected)
        {
            rejections += count.sum();
        }
        return resultsOk.sum() + resultsRefused.sum() + rejections + failed.sum();
    }

    /** A consistent-enough copy; requests sent and not answered count as unanswered. */
    public OutcomeCounts snapshot()
    {
        final Map<String, Long> byCode = new TreeMap<>();
        for (int i = 0; i < rejected.length; i++)
        {
            final long count = rejected[i].sum();
            if (count > 0)
            {
                byCode.put(CODES[i / 2].name() + (i % 2 == 1 ? " (local)" : ""), count);
            }
        }
        final long sentNow = sent.sum();
        final long answeredNow = answeredCount();
        return new OutcomeCounts(sentNow, resultsOk.sum(), resultsRefused.sum(), byCode,
            Math.max(0, sentNow - answeredNow), failed.sum());
    }
}
