package io.chukei.bench.admission;

import io.chukei.protocol.sbe.ErrorCode;

import java.util.Set;

/**
 * Who sends a request, which decides how its answer is judged. Normal municipalities must be
 * served; the noisy one is expected to be slowed with RATE_LIMITED; batch flooders are expected
 * to be throttled or shed (RATE_LIMITED, OVERLOADED) so interactive work is served first — or to
 * wait in their bounded queue past their deadline (DEADLINE_EXCEEDED): the flood plus the
 * interactive load exceed card management's capacity by design, and batch gets what is left.
 */
enum TrafficGroup
{
    NORMAL("normal", Set.of()),
    NOISY("noisy", Set.of(ErrorCode.RATE_LIMITED)),
    BATCH_FLOOD("batch", Set.of(ErrorCode.RATE_LIMITED, ErrorCode.OVERLOADED, ErrorCode.DEADLINE_EXCEEDED));

    private final String label;
    private final Set<ErrorCode> expectedRejections;

    TrafficGroup(final String label, final Set<ErrorCode> expectedRejections)
    {
        this.label = label;
        this.expectedRejections = expectedRejections;
    }

    String label()
    {
        return label;
    }

    /** True when the relay refusing this group's request with {@code code} is the intended behaviour, not an error. */
    boolean expects(final ErrorCode code)
    {
        return expectedRejections.contains(code);
    }
}
