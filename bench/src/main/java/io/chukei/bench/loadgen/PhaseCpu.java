package io.chukei.bench.loadgen;

/**
 * CPU used during one phase, in seconds; {@code NaN} where it was not measured (no
 * {@code --target-pid}, or the target went away).
 *
 * @param wallSeconds how long the phase's sending took
 * @param loadgenSeconds the load generator's own CPU
 * @param targetSeconds the CPU of the processes under test
 */
record PhaseCpu(double wallSeconds, double loadgenSeconds, double targetSeconds)
{
    static final PhaseCpu UNMEASURED = new PhaseCpu(Double.NaN, Double.NaN, Double.NaN);

    boolean hasTarget()
    {
        return !Double.isNaN(targetSeconds) && wallSeconds > 0;
    }

    /** Cores the target kept busy on average: 1.0 is one core flat out. */
    double targetCores()
    {
        return targetSeconds / wallSeconds;
    }

    /** Target CPU microseconds per request answered: the inverse of its throughput per core. */
    double targetMicrosPer(final long requests)
    {
        return requests == 0 ? Double.NaN : targetSeconds * 1e6 / requests;
    }

    double loadgenMicrosPer(final long requests)
    {
        return requests == 0 ? Double.NaN : loadgenSeconds * 1e6 / requests;
    }
}
