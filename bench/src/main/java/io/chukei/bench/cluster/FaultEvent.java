package io.chukei.bench.cluster;

/**
 * One fault as it happened (System.nanoTime instants): when injecting began, when the fault
 * had surely taken effect (the signal delivered, the command returned), how long after the
 * beginning a healthy peer's view showed it (-1 when not observed or not applicable), and when
 * it was healed.
 */
public record FaultEvent(Fault fault, int target, long startedNanos, long injectedNanos, long detectedMs, long healedNanos)
{
    /** When the fault was detected, or when it had taken effect if detection does not apply. */
    public long detectedNanos()
    {
        return detectedMs < 0 ? injectedNanos : Math.max(injectedNanos, startedNanos + detectedMs * 1_000_000L);
    }

    /**
     * A request exposed to the fault: unresolved when it had taken effect, or sent between then
     * and its detection (connectors cannot know before peers do).
     */
    public boolean exposes(final SentRequest request)
    {
        return request.unresolvedAt(injectedNanos) ||
            request.intendedNanos() >= injectedNanos && request.intendedNanos() <= detectedNanos();
    }
}
