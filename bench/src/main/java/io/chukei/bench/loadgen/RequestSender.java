package io.chukei.bench.loadgen;

/**
 * Puts one scheduled request on the wire for the send loop and sees that its outcome is recorded in
 * {@link RunRecorders}: through the SDK ({@link SdkSender}) or as pre-encoded frames ({@link RawSender}).
 * Called from the send loop's thread only, never blocking for an answer.
 */
interface RequestSender
{
    /**
     * Sends request {@code index} of the schedule, due at {@code intendedNs} ({@link System#nanoTime()} scale), of
     * {@code kind} (the mix's entry {@code kindIndex}), from the municipality of {@code rank}; {@code phase} is the
     * schedule's phase of the index.
     */
    void send(long index, int phase, long intendedNs, int rank, int kindIndex, OperationMix.Entry kind);

    /**
     * How long before a request's due time the send loop stops parking and yields instead, for a punctual send:
     * parking alone wakes up to the timer's slack late (about 50 us on Linux), which the latency then includes.
     */
    default long spinBeforeDueNs()
    {
        return 20_000;
    }
}
