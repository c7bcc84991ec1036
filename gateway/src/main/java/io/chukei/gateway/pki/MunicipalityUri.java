package io.chukei.gateway.pki;

/**
 * The identity binding of a connector: its certificate carries exactly one subject alternative
 * name of type URI, {@code urn:chukei:municipality:<6-digit code>}.
 */
public final class MunicipalityUri
{
    /** The URI prefix; the 6-digit local government code follows it. */
    public static final String PREFIX = "urn:chukei:municipality:";

    /** Length of a local government code: 5 digits and a check digit (JIS X 0402). */
    public static final int CODE_LENGTH = 6;

    private MunicipalityUri()
    {
    }

    /** The SAN URI for a municipality code; the code's format is not checked here. */
    public static String of(final String municipalityCode)
    {
        return PREFIX + municipalityCode;
    }

    /** Whether the text is exactly six ASCII digits (the check digit is not verified). */
    public static boolean isSixDigits(final CharSequence code)
    {
        if (code == null || code.length() != CODE_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < CODE_LENGTH; i++)
        {
            final char c = code.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }
}
