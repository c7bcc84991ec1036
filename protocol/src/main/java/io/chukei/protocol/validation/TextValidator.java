package io.chukei.protocol.validation;

import java.text.Normalizer;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Validates a UTF-8 text field in stages, reporting the first violation:
 * <ol>
 * <li>presence and length: REQUIRED_FIELD_MISSING when empty and required, INVALID_LENGTH above
 * the field's max bytes;</li>
 * <li>strict UTF-8 ({@link Utf8Rule}), decoded into a reusable char array;</li>
 * <li>per code point, safety rules: TEXT_CONTROL_CHARACTER (C0 including TAB/CR/LF, DEL, C1),
 * TEXT_BIDI_CONTROL, TEXT_BYTE_ORDER_MARK, TEXT_MISPLACED_VARIATION_SELECTOR (U+E0100..U+E01EF
 * allowed only directly after an ideograph);</li>
 * <li>the whole text must be NFC: TEXT_NOT_NFC at the first code point NFC changes. Checked
 * before the repertoire so that decomposed input (か + U+3099) gets the actionable answer
 * "normalize", not "outside repertoire";</li>
 * <li>per code point, TEXT_OUTSIDE_REPERTOIRE: the configured {@link Repertoire} (a code point
 * that is not a member on its own must form a listed sequence with the one before it, e.g. a
 * registered ideographic variation sequence), and for kana fields {@link KanaRule}. The detail
 * names the repertoire and, where one is known, what to send instead ({@link ReplacementHints}).</li>
 * </ol>
 * Positions are byte offsets in the field. Not thread-safe: one instance per thread; the success
 * path allocates nothing when the text is made of NFC-inert characters (the usual case).
 */
public final class TextValidator
{
    private static final int FIRST_IVS = 0xE0100;
    private static final int LAST_IVS = 0xE01EF;

    private final Repertoire repertoire;
    private final UnsafeBuffer bytesView = new UnsafeBuffer(new byte[0]);
    private char[] chars;

    /**
     * @param repertoire          allowed characters
     * @param expectedMaxBytes    longest field expected; longer ones grow the buffer once
     */
    public TextValidator(final Repertoire repertoire, final int expectedMaxBytes)
    {
        this.repertoire = repertoire;
        this.chars = new char[Math.max(16, expectedMaxBytes)];
    }

    public Repertoire repertoire()
    {
        return repertoire;
    }

    /** Convenience for bytes held in an array; same rules as the buffer variant. */
    public ErrorCode validate(
        final TextFieldRule rule, final byte[] utf8, final boolean required, final ValidationResult result)
    {
        bytesView.wrap(utf8);
        return validate(rule, bytesView, 0, utf8.length, required, result);
    }

    public ErrorCode validate(
        final TextFieldRule rule, final DirectBuffer buffer, final int offset, final int length,
        final boolean required, final ValidationResult result)
    {
        final FieldId field = rule.field();
        if (length == 0)
        {
            return required ? missing(field, result) : ErrorCode.NO_ERROR;
        }
        if (length > rule.maxBytes())
        {
            return result.reject(ErrorCode.INVALID_LENGTH, field, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT, FieldNames.of(field) + ": " + length + " bytes (expected: <= " +
                rule.maxBytes() + ") (rule: INVALID_LENGTH)");
        }
        if (chars.length < length)
        {
            chars = new char[length];
        }
        final int count = Utf8Rule.decode(buffer, offset, length, chars, field, result);
        if (count < 0)
        {
            return result.code();
        }
        if (checkSafety(field, count, result) != ErrorCode.NO_ERROR ||
            checkNfc(field, count, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        return checkRepertoire(rule, count, result);
    }

    private ErrorCode checkSafety(final FieldId field, final int count, final ValidationResult result)
    {
        int previous = -1;
        int bytePosition = 0;
        for (int i = 0; i < count; )
        {
            final int cp = Character.codePointAt(chars, i, count);
            final ErrorCode code = safetyViolation(cp, previous);
            if (code != ErrorCode.NO_ERROR)
            {
                return result.reject(code, field, bytePosition, cp, describe(field, cp, bytePosition) +
                    safetyReason(code) + " (rule: " + code + ")");
            }
            previous = cp;
            bytePosition += Utf8Rule.encodedLength(cp);
            i += Character.charCount(cp);
        }
        return ErrorCode.NO_ERROR;
    }

    private static ErrorCode safetyViolation(final int cp, final int previous)
    {
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        {
            return ErrorCode.TEXT_CONTROL_CHARACTER;
        }
        if (isBidiControl(cp))
        {
            return ErrorCode.TEXT_BIDI_CONTROL;
        }
        if (cp == 0xFEFF)
        {
            return ErrorCode.TEXT_BYTE_ORDER_MARK;
        }
        if (cp >= FIRST_IVS && cp <= LAST_IVS && (previous < 0 || !Character.isIdeographic(previous)))
        {
            return ErrorCode.TEXT_MISPLACED_VARIATION_SELECTOR;
        }
        return ErrorCode.NO_ERROR;
    }

    static boolean isBidiControl(final int cp)
    {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069);
    }

    private static String safetyReason(final ErrorCode code)
    {
        switch (code)
        {
            case TEXT_CONTROL_CHARACTER: return "is a control character";
            case TEXT_BIDI_CONTROL: return "is a bidi control";
            case TEXT_BYTE_ORDER_MARK: return "is a byte order mark";
            default: return "is a variation selector not directly after an ideograph";
        }
    }

    private ErrorCode checkNfc(final FieldId field, final int count, final ValidationResult result)
    {
        boolean inert = true;
        for (int i = 0; i < count && inert; )
        {
            final int cp = Character.codePointAt(chars, i, count);
            inert = repertoire.isNfcInert(cp);
            i += Character.charCount(cp);
        }
        if (inert)
        {
            return ErrorCode.NO_ERROR;
        }
        // Slow path, allocates: only for text with characters that NFC could touch.
        final String text = new String(chars, 0, count);
        if (Normalizer.isNormalized(text, Normalizer.Form.NFC))
        {
            return ErrorCode.NO_ERROR;
        }
        final String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        // Walk both while they agree; normalization never only appends, so they differ somewhere
        // in the original text, at the latest in its last code point.
        int i = 0;
        int bytePosition = 0;
        int cp = text.codePointAt(0);
        while (true)
        {
            cp = text.codePointAt(i);
            final int next = i + Character.charCount(cp);
            if (next >= text.length() || i >= normalized.length() || normalized.codePointAt(i) != cp)
            {
                break;
            }
            bytePosition += Utf8Rule.encodedLength(cp);
            i = next;
        }
        final String becomes = i < normalized.length() ?
            " (NFC has " + FieldNames.codePoint(normalized.codePointAt(i)) + " there" +
            repertoire.compatibilityHint(cp) + ")" : "";
        return result.reject(ErrorCode.TEXT_NOT_NFC, field, bytePosition, cp,
            describe(field, cp, bytePosition) + "is not in NFC form" + becomes + " (rule: TEXT_NOT_NFC)");
    }

    private ErrorCode checkRepertoire(final TextFieldRule rule, final int count, final ValidationResult result)
    {
        int previous = -1;
        int bytePosition = 0;
        for (int i = 0; i < count; )
        {
            final int cp = Character.codePointAt(chars, i, count);
            if (!repertoire.contains(cp) && (previous < 0 || !repertoire.containsSequence(previous, cp)))
            {
                return outsideRepertoire(rule.field(), previous, cp, bytePosition, result);
            }
            if (rule.kanaOnly() && !KanaRule.allows(cp))
            {
                return result.reject(ErrorCode.TEXT_OUTSIDE_REPERTOIRE, rule.field(), bytePosition, cp,
                    describe(rule.field(), cp, bytePosition) + "is not kana (nameKana allows only the kana of the " +
                    "repertoire " + repertoire.name() + ") (rule: TEXT_OUTSIDE_REPERTOIRE)");
            }
            previous = cp;
            bytePosition += Utf8Rule.encodedLength(cp);
            i += Character.charCount(cp);
        }
        return ErrorCode.NO_ERROR;
    }

    private ErrorCode outsideRepertoire(
        final FieldId field, final int previous, final int cp, final int bytePosition, final ValidationResult result)
    {
        // The safety rules let a variation selector through only directly after an ideograph.
        if (cp >= FIRST_IVS && cp <= LAST_IVS)
        {
            final int[] registered = repertoire.selectorsFor(previous);
            return result.reject(ErrorCode.TEXT_OUTSIDE_REPERTOIRE, field, bytePosition, cp,
                describe(field, cp, bytePosition) + "after " + FieldNames.codePoint(previous) + ": the sequence " +
                FieldNames.codePoint(previous) + " " + FieldNames.codePoint(cp) + " is not a registered variation " +
                "sequence of the repertoire " + repertoire.name() + " (" + (registered.length == 0 ?
                "it lists none for " + FieldNames.codePoint(previous) + "; send the ideograph alone" :
                "registered for " + FieldNames.codePoint(previous) + ": " + ReplacementHints.listed(registered)) +
                ") (rule: TEXT_OUTSIDE_REPERTOIRE)");
        }
        return result.reject(ErrorCode.TEXT_OUTSIDE_REPERTOIRE, field, bytePosition, cp,
            describe(field, cp, bytePosition) + "is outside the repertoire " + repertoire.name() +
            ReplacementHints.outsideRepertoire(cp, repertoire) + " (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    private static ErrorCode missing(final FieldId field, final ValidationResult result)
    {
        return result.reject(ErrorCode.REQUIRED_FIELD_MISSING, field, ValidationResult.NO_POSITION,
            ValidationResult.NO_CODE_POINT, FieldNames.of(field) + ": empty (expected: a value) " +
            "(rule: REQUIRED_FIELD_MISSING)");
    }

    private static String describe(final FieldId field, final int cp, final int bytePosition)
    {
        return FieldNames.of(field) + ": " + FieldNames.codePoint(cp) + " at byte " + bytePosition + " ";
    }
}
