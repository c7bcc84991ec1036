package io.chukei.bench.admission;

import io.chukei.bench.loadgen.OutcomeCounts;
import io.chukei.protocol.sbe.ErrorCode;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.Objects;

/**
 * What happened to one traffic group's requests in the measured part of a scenario: outcome
 * counts and the latency, in microseconds from each request's intended start, of those that
 * ended in a Result.
 */
record GroupResult(TrafficGroup group, OutcomeCounts outcomes, Histogram answerMicros)
{
    /** Suffix the load generator's outcome counts give rejections the SDK made itself. */
    static final String LOCAL_SUFFIX = " (local)";

    GroupResult
    {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(answerMicros, "answerMicros");
    }

    /** Relay rejections that are the intended treatment of this group (e.g. RATE_LIMITED for the noisy one). */
    long expectedRejections()
    {
        long expected = 0;
        for (final Map.Entry<String, Long> entry : outcomes.rejectedByCode().entrySet())
        {
            if (!entry.getKey().endsWith(LOCAL_SUFFIX) && group.expects(ErrorCode.valueOf(entry.getKey())))
            {
                expected += entry.getValue();
            }
        }
        return expected;
    }

    /** Requests that ended neither in a Result nor in an expected rejection: deadlines, other rejections, no answer, failures. */
    long errors()
    {
        return outcomes.sent() - outcomes.results() - expectedRejections();
    }

    /** Fraction of the requests sent that the relay rejected with {@code code}; 0 when nothing was sent. */
    double rejectionRate(final ErrorCode code)
    {
        final long sent = outcomes.sent();
        return sent == 0 ? 0 : (double)outcomes.rejectedByCode().getOrDefault(code.name(), 0L) / sent;
    }

    LatencySummary latency()
    {
        return LatencySummary.of(answerMicros);
    }
}
