package io.chukei.bench.loadgen;

import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to a set of requests. Errors are every request that did not end in a Result:
 * rejections (by the relay or locally by the SDK), requests still unanswered at the end, and
 * failed futures. A REFUSED Result is card management's verdict, not an error.
 *
 * @param rejectedByCode rejections by error code name; " (local)" marks those the SDK made itself
 */
public record OutcomeCounts(long sent, long resultsOk, long resultsRefused, Map<String, Long> rejectedByCode, long unanswered, long failed)
{
    public OutcomeCounts
    {
        rejectedByCode = Map.copyOf(rejectedByCode);
    }

    public static OutcomeCounts none()
    {
        return new OutcomeCounts(0, 0, 0, Map.of(), 0, 0);
    }

    public long results()
    {
        return resultsOk + resultsRefused;
    }

    public long rejected()
    {
        return rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errors()
    {
        return rejected() + unanswered + failed;
    }

    /** Errors over requests sent; 0 when nothing was sent. */
    public double errorRate()
    {
        return sent == 0 ? 0 : (double)errors() / sent;
    }

    public OutcomeCounts plus(final OutcomeCounts other)
    {
        final Map<String, Long> byCode = new TreeMap<>(rejectedByCode);
        other.rejectedByCode.forEach((code, count) -> byCode.merge(code, count, Long::sum));
        return new OutcomeCounts(sent + other.sent, resultsOk + other.resultsOk, resultsRefused + other.resultsRefused,
            byCode, unanswered + other.unanswered, failed + other.failed);
    }
}
