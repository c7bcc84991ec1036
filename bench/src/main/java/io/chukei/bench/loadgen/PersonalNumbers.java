package io.chukei.bench.loadgen;

import java.util.SplittableRandom;

/**
 * Synthetic personal numbers (個人番号) with a correct check digit. With P(n) the n-th of the
 * eleven leading digits counted from the right and Q(n) = n + 1 for n <= 6, n - 5 for n >= 7:
 * r = sum(P(n) x Q(n)) mod 11, check = 0 when r <= 1, else 11 - r. The numbers are random, so
 * they name nobody; they are still never printed.
 */
final class PersonalNumbers
{
    static final int LENGTH = 12;

    private PersonalNumbers()
    {
    }

    /** Eleven random digits and their check digit. */
    static String next(final SplittableRandom random)
    {
        final char[] digits = new char[LENGTH];
        for (int i = 0; i < LENGTH - 1; i++)
        {
            digits[i] = (char)('0' + random.nextInt(10));
        }
        digits[LENGTH - 1] = (char)('0' + checkDigit(new String(digits, 0, LENGTH - 1)));
        return new String(digits);
    }

    /** The check digit of eleven ASCII digits. */
    static int checkDigit(final CharSequence elevenDigits)
    {
        if (elevenDigits.length() != LENGTH - 1)
        {
            throw new IllegalArgumentException("elevenDigits: length " + elevenDigits.length() + " (expected: 11)");
        }
        int sum = 0;
        for (int n = 1; n <= LENGTH - 1; n++)
        {
            final int p = elevenDigits.charAt(LENGTH - 1 - n) - '0';
            final int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        final int r = sum % 11;
        return r <= 1 ? 0 : 11 - r;
    }
}
