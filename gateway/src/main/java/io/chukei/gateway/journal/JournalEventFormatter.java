package io.chukei.gateway.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.chukei.protocol.codec.WireNames;
import io.chukei.protocol.text.SafeText;
import net.openhft.chronicle.bytes.Bytes;

/** Turns one journal entry into a {@link JournalEvent} for people: sizes instead of contents, masked digit runs. */
final class JournalEventFormatter
{
    /** A detail is at most 65,534 bytes on the wire: a trace line shows all of it, escaped. */
    private static final int MAX_TEXT = 70_000;

    private JournalEventFormatter()
    {
    }

    static JournalEvent format(final Bytes<?> bytes, final long index)
    {
        final long base = bytes.readPosition();
        final byte code = bytes.readByte(base + JournalCodec.TYPE_OFFSET);
        final JournalEventType type = JournalEventType.of(code);
        final long timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
        final long hi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
        final long lo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
        if (type == null)
        {
            return null;
        }
        final String summary = summary(bytes, base, type);
        final int scope = type == JournalEventType.ACCEPTED || type == JournalEventType.AUDIT ?
            JournalCodec.NO_SCOPE : JournalCodec.scopeOf(bytes, base, type);
        return new JournalEvent(index, type, timestampNs, hi, lo,
            scope == JournalCodec.NO_SCOPE ? summary : "municipality=" + io.chukei.protocol.codec.MunicipalityCodes.format(scope) +
                " " + summary);
    }

    private static String summary(final Bytes<?> bytes, final long base, final JournalEventType type)
    {
        switch (type)
        {
            case ACCEPTED:
            {
                final byte[] municipality = new byte[JournalCodec.MUNICIPALITY_LENGTH];
                bytes.read(base + JournalCodec.ACCEPTED_MUNICIPALITY, municipality, 0, municipality.length);
                final byte priority = bytes.readByte(base + JournalCodec.ACCEPTED_PRIORITY);
                return "node=" + bytes.readInt(base + JournalCodec.ACCEPTED_NODE_ID) +
                    " connection=" + bytes.readLong(base + JournalCodec.ACCEPTED_CONNECTION_ID) +
                    " municipality=" + new String(municipality, StandardCharsets.US_ASCII) +
                    " priority=" + WireNames.priority(priority & 0xFF) +
                    " deadline=" + Instant.ofEpochMilli(bytes.readLong(base + JournalCodec.ACCEPTED_DEADLINE)) +
                    " fingerprint=" + Long.toHexString(bytes.readLong(base + JournalCodec.ACCEPTED_FINGERPRINT)) +
                    " submitBytes=" + bytes.readInt(base + JournalCodec.ACCEPTED_SUBMIT_LENGTH);
            }
            case FORWARDED:
                return "endpoint=" + bytes.readInt(base + JournalCodec.FORWARDED_ENDPOINT_ID) +
                    " attempt=" + bytes.readInt(base + JournalCodec.FORWARDED_ATTEMPT) +
                    " possibleDuplicate=" + (bytes.readByte(base + JournalCodec.FORWARDED_POSSIBLE_DUPLICATE) != 0);
            case COMPLETED:
            {
                final int detailLength = bytes.readInt(base + JournalCodec.COMPLETED_DETAIL_LENGTH);
                final long detailAt = base + JournalCodec.COMPLETED_DETAIL_LENGTH + 4;
                final int payloadLength = bytes.readInt(detailAt + detailLength);
                return "status=" + WireNames.outcomeStatus(bytes.readByte(base + JournalCodec.COMPLETED_STATUS) & 0xFF) +
                    " upstreamCode=" + bytes.readInt(base + JournalCodec.COMPLETED_UPSTREAM_CODE) +
                    " duplicate=" + (bytes.readByte(base + JournalCodec.COMPLETED_DUPLICATE) != 0) +
                    " detail=\"" + mask(JournalCodec.readString(bytes, detailAt, detailLength)) + '"' +
                    " payloadBytes=" + payloadLength;
            }
            case REJECTED:
            {
                final int detailLength = bytes.readInt(base + JournalCodec.REJECTED_DETAIL_LENGTH);
                return "code=" + WireNames.errorCode(bytes.readInt(base + JournalCodec.REJECTED_ERROR_CODE)) +
                    " field=" + WireNames.fieldId(bytes.readInt(base + JournalCodec.REJECTED_FIELD_ID)) +
                    " retryAfterMs=" + bytes.readLong(base + JournalCodec.REJECTED_RETRY_AFTER) +
                    " acceptedBefore=" + (bytes.readByte(base + JournalCodec.REJECTED_ACCEPTED_BEFORE) != 0) +
                    " detail=\"" + mask(JournalCodec.readString(bytes, base + JournalCodec.REJECTED_DETAIL_LENGTH + 4,
                    detailLength)) + '"';
            }
            case OUTCOME_UNKNOWN:
                return "forwardAttempts=" + bytes.readInt(base + JournalCodec.OUTCOME_UNKNOWN_ATTEMPTS) +
                    " deadline=" + Instant.ofEpochMilli(bytes.readLong(base + JournalCodec.OUTCOME_UNKNOWN_DEADLINE)) +
                    " (deadline passed after a forward; not final: COMPLETED follows when card management answers)";
            case BATCH_DECLARED:
            {
                final byte[] digest = new byte[JournalCodec.BATCH_DIGEST_LENGTH];
                bytes.read(base + JournalCodec.BATCH_DIGEST, digest, 0, digest.length);
                return "batch=" + Long.toUnsignedString(bytes.readLong(base + JournalCodec.ID_LO_OFFSET)) +
                    " size=" + bytes.readInt(base + JournalCodec.BATCH_SIZE) + " memberDigest=" +
                    java.util.HexFormat.of().formatHex(digest);
            }
            case AUDIT:
            {
                long at = base + JournalCodec.HEADER_LENGTH;
                final int actorLength = bytes.readInt(at);
                final String actor = JournalCodec.readString(bytes, at + 4, actorLength);
                at += 4 + actorLength;
                final int actionLength = bytes.readInt(at);
                final String action = JournalCodec.readString(bytes, at + 4, actionLength);
                at += 4 + actionLength;
                final String detail = JournalCodec.readString(bytes, at + 4, bytes.readInt(at));
                return "actor=" + mask(actor) + " action=" + mask(action) + " detail=\"" + mask(detail) + '"';
            }
            default:
                return "";
        }
    }

    /**
     * Replaces every run of 12 or more ASCII digits (a personal number would be one) with asterisks, and escapes
     * what could forge or split a line (control, bidi and invisible characters: {@link SafeText}).
     */
    static String mask(final String text)
    {
        return SafeText.of(io.chukei.protocol.text.DigitRuns.mask(text), MAX_TEXT);
    }
}
