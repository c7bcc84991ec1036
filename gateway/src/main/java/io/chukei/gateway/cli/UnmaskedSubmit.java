package io.chukei.gateway.cli;

import io.chukei.gateway.journal.AcceptedView;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.text.SafeText;

/** A journaled Submit's personal fields in clear, for {@code journal dump --unmask} only (that reading is audited). */
final class UnmaskedSubmit
{
    private UnmaskedSubmit()
    {
    }

    /** {@code personalNumber=... residentCode=... dateOfBirth=... nameKanji="..." ...}; text escaped, never raw bytes. */
    static String fields(final AcceptedView accepted)
    {
        if (accepted.submitLength() < MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.BLOCK_LENGTH)
        {
            return "personal: (no Submit body)";
        }
        final SubmitDecoder submit = new SubmitDecoder();
        submit.wrap(accepted.submit(), MessageHeaderDecoder.ENCODED_LENGTH, SubmitDecoder.BLOCK_LENGTH,
            SubmitDecoder.SCHEMA_VERSION);
        try
        {
            final StringBuilder out = new StringBuilder(256).append("personal: personalNumber=")
                .append(SafeText.of(submit.personalNumber().strip()))
                .append(" residentCode=").append(SafeText.of(submit.residentCode().strip()))
                .append(" dateOfBirth=").append(SafeText.of(submit.dateOfBirth().strip()));
            quoted(out, "nameKanji", submit.nameKanji());
            quoted(out, "nameKana", submit.nameKana());
            quoted(out, "address", submit.address());
            quoted(out, "cardId", submit.cardId());
            quoted(out, "applicationId", submit.applicationId());
            final byte[] pin = new byte[submit.pinBlockLength()];
            submit.getPinBlock(pin, 0, pin.length);
            return out.append(" pinBlock=").append(java.util.HexFormat.of().formatHex(pin)).toString();
        }
        catch (final RuntimeException ex)
        {
            return "personal: (the Submit could not be read: " + SafeText.of(ex.toString(), 200) + ")";
        }
    }

    private static void quoted(final StringBuilder out, final String name, final String value)
    {
        out.append(' ').append(name).append("=\"").append(SafeText.of(value)).append('"');
    }
}
