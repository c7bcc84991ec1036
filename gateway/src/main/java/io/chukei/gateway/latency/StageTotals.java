package io.chukei.gateway.latency;

/**
 * One stage's values since the node started, as a Prometheus histogram wants them.
 *
 * @param stage         the stage
 * @param count         values recorded
 * @param sumNanos      their sum, from HdrHistogram's buckets (each value counted at the middle of its 0.1 % bucket)
 * @param buckets       per upper bound asked for, in order, how many values were at most that bound and above the
 *                      one before; one more entry last for values above every bound (a value within
 *                      HdrHistogram's 0.1 % of a bound may count on either side of it)
 */
public record StageTotals(Stage stage, long count, double sumNanos, long[] buckets)
{
}
