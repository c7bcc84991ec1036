package io.chukei.gateway.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of the dev PKI's revocation register ({@code revoked.txt}): which certificate, since
 * when and why. The line form is {@code SERIAL_HEX EPOCH_SECONDS REASON [# what it was]}.
 */
public record RevokedCertificate(BigInteger serial, Instant revokedAt, Reason reason, String note)
{
    /** The RFC 5280 reason codes an operator of the dev PKI may give (5.3.1). */
    public enum Reason
    {
        UNSPECIFIED(0),
        KEY_COMPROMISE(1),
        AFFILIATION_CHANGED(3),
        SUPERSEDED(4),
        CESSATION_OF_OPERATION(5);

        private final int code;

        Reason(final int code)
        {
            this.code = code;
        }

        public int code()
        {
            return code;
        }

        /** {@code key-compromise} or {@code KEY_COMPROMISE}, as typed on the command line. */
        public static Reason parse(final String text)
        {
            try
            {
                return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("reason: " + text + " (expected: unspecified, key-compromise, "
                    + "affiliation-changed, superseded or cessation-of-operation)", ex);
            }
        }

        public String label()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public RevokedCertificate
    {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        note = note == null ? "" : note.replace('\n', ' ').replace('\r', ' ');
    }

    String toLine()
    {
        return serial.toString(16) + " " + revokedAt.getEpochSecond() + " " + reason.label()
            + (note.isEmpty() ? "" : " # " + note);
    }

    static RevokedCertificate parseLine(final String line)
    {
        final int hash = line.indexOf('#');
        final String note = hash < 0 ? "" : line.substring(hash + 1).trim();
        final String[] parts = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
        if (parts.length != 3)
        {
            throw new IllegalArgumentException("'" + line + "' (expected: SERIAL_HEX EPOCH_SECONDS REASON [# note])");
        }
        return new RevokedCertificate(new BigInteger(parts[0], 16), Instant.ofEpochSecond(Long.parseLong(parts[1])),
            Reason.parse(parts[2]), note);
    }
}
