package io.chukei.bench.cluster;

/**
 * One fault as it happened: what, to whom, when it was injected (System.nanoTime), how long
 * until a healthy peer's view showed it (-1 when not observed or not applicable), and when it was healed.
 */
public record FaultEvent(Fault fault, int target, long injectedNanos, long detectedMs, long healedNanos)
{
    /** When the fault was detected, or when it was injected if detection does not apply. */
    public long detectedNanos()
    {
        return injectedNanos + Math.max(0, detectedMs) * 1_000_000L;
    }
}
