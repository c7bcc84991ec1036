package io.chukei.protocol.validation;

/** Code points written as hex, as the repertoire data files and lists write them. */
final class HexCodePoints
{
    private HexCodePoints()
    {
    }

    /**
     * Parses {@code 9AD9}, {@code U+9AD9} or {@code u+9ad9}: 4 to 6 hex digits.
     *
     * @return the code point, or -1 when the token is not one (or above U+10FFFF)
     */
    static int parse(final String token)
    {
        final String digits = token.length() > 2 && (token.charAt(0) == 'U' || token.charAt(0) == 'u') &&
            token.charAt(1) == '+' ? token.substring(2) : token;
        if (digits.length() < 4 || digits.length() > 6)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++)
        {
            final int digit = Character.digit(digits.charAt(i), 16);
            if (digit < 0)
            {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value <= Character.MAX_CODE_POINT ? value : -1;
    }

    /** {@code 9AD9}, {@code 20BB7}: upper case, at least four digits, no prefix. */
    static String format(final int codePoint)
    {
        final String hex = Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT);
        return hex.length() >= 4 ? hex : "0000".substring(hex.length()) + hex;
    }
}
