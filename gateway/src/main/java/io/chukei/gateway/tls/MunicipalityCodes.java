package io.chukei.gateway.tls;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.validation.MunicipalityCodeRule;
import io.chukei.protocol.validation.ValidationResult;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/** JIS X 0402 check of a municipality code given as text (certificates, command lines). */
public final class MunicipalityCodes
{
    private MunicipalityCodes()
    {
    }

    /** True for six ASCII digits whose last is the JIS X 0402 check digit of the first five. */
    public static boolean isValid(final String code)
    {
        if (code == null || code.length() != MunicipalityCodeRule.LENGTH)
        {
            return false;
        }
        final byte[] bytes = code.getBytes(StandardCharsets.US_ASCII);
        return MunicipalityCodeRule.validate(new UnsafeBuffer(bytes), 0, bytes.length, new ValidationResult()) ==
            ErrorCode.NO_ERROR;
    }
}
