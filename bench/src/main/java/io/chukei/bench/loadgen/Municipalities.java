package io.chukei.bench.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic municipalities: valid JIS X 0402 codes, generated the same way every run, and a
 * population-like skew of traffic over them (Zipf: the municipality of rank k gets a share
 * proportional to 1 / k^s, as city sizes roughly do).
 *
 * <p>Codes walk the 47 prefectures round-robin (prefecture 01..47, then city numbers 201, 202,
 * ... within each), so rank 1 is 01201x, rank 2 is 02201x, and every prefecture is represented
 * even in small runs. Five digits, then the check digit with weights 6,5,4,3,2:
 * {@code (11 - sum mod 11) mod 10}.
 */
public final class Municipalities
{
    static final int PREFECTURES = 47;
    static final int FIRST_CITY = 201;
    static final int LAST_CITY = 999;
    /** How many distinct codes this scheme can produce. */
    static final int MAX_COUNT = PREFECTURES * (LAST_CITY - FIRST_CITY + 1);

    private static final int[] WEIGHTS = {6, 5, 4, 3, 2};

    private final List<String> codes;
    private final double[] cumulativeShare;

    private Municipalities(final List<String> codes, final double[] cumulativeShare)
    {
        this.codes = codes;
        this.cumulativeShare = cumulativeShare;
    }

    /** The first {@code count} codes, with traffic skewed by Zipf exponent {@code exponent} (0 = uniform). */
    public static Municipalities generate(final int count, final double exponent)
    {
        if (count < 1 || count > MAX_COUNT)
        {
            throw new IllegalArgumentException("municipalities: " + count + " (expected: 1.." + MAX_COUNT + ")");
        }
        if (exponent < 0 || Double.isNaN(exponent))
        {
            throw new IllegalArgumentException("zipfExponent: " + exponent + " (expected: >= 0)");
        }
        final List<String> codes = new ArrayList<>(count);
        for (int rank = 0; rank < count; rank++)
        {
            codes.add(code(rank));
        }
        final double[] cumulative = new double[count];
        double total = 0;
        for (int rank = 0; rank < count; rank++)
        {
            total += 1.0 / Math.pow(rank + 1, exponent);
            cumulative[rank] = total;
        }
        for (int rank = 0; rank < count; rank++)
        {
            cumulative[rank] /= total;
        }
        cumulative[count - 1] = 1.0;
        return new Municipalities(List.copyOf(codes), cumulative);
    }

    /** The code of the municipality of 0-based {@code rank}. */
    /**
     * The last {@code count} codes of the whole code space, for connectors beside a load of the first codes (a fault's
     * own connectors): they never share a municipality with a load of fewer than {@code MAX_COUNT - count}.
     */
    public static List<String> fromEnd(final int count)
    {
        if (count < 1 || count > MAX_COUNT)
        {
            throw new IllegalArgumentException("count: " + count + " (expected: 1.." + MAX_COUNT + ")");
        }
        final List<String> codes = new ArrayList<>(count);
        for (int rank = MAX_COUNT - count; rank < MAX_COUNT; rank++)
        {
            codes.add(code(rank));
        }
        return codes;
    }

    static String code(final int rank)
    {
        final int prefecture = rank % PREFECTURES + 1;
        final int city = FIRST_CITY + rank / PREFECTURES;
        final String five = String.format("%02d%03d", prefecture, city);
        return five + checkDigit(five);
    }

    /** JIS X 0402 check digit of five ASCII digits. */
    static int checkDigit(final CharSequence fiveDigits)
    {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++)
        {
            sum += (fiveDigits.charAt(i) - '0') * WEIGHTS[i];
        }
        return (11 - sum % 11) % 10;
    }

    public int size()
    {
        return codes.size();
    }

    /** Codes by rank: the busiest first. */
    public List<String> codes()
    {
        return codes;
    }

    /** Share of all traffic that goes to {@code rank}. */
    double share(final int rank)
    {
        return rank == 0 ? cumulativeShare[0] : cumulativeShare[rank] - cumulativeShare[rank - 1];
    }

    /** Draws a rank by its share. Not thread-safe through {@code random}; the send loop owns it. */
    int nextRank(final SplittableRandom random)
    {
        final double u = random.nextDouble();
        int low = 0;
        int high = cumulativeShare.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (cumulativeShare[mid] > u)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }
}
