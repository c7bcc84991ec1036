package io.chukei.gateway.journal;

import java.nio.charset.StandardCharsets;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of one journal entry (the body of one Chronicle document), little-endian, offsets in bytes.
 * <pre>
 *   0 +------+---------+----------------+-------------+-------------+
 *     | type | version | timestampNs    | requestIdHi | requestIdLo |   common header, 26 bytes
 *     | u8   | u8      | i64 epoch ns   | i64         | i64         |
 *  26 +------+---------+----------------+-------------+-------------+
 *     ACCEPTED   nodeId i32 | connectionId i64 | municipality 6 x ASCII | priority u8 | deadlineEpochMs i64
 *                | fingerprint i64 | submitLength i32 | submit bytes (SBE header + body as received)
 *     FORWARDED  endpointId i32 | forwardAttempt i32 | possibleDuplicate u8 | scope i32 (v1)
 *     COMPLETED  status u8 | upstreamCode i32 | duplicate u8 | detailLength i32 | detail | payloadLength i32 | payload
 *                | scope i32 (v1)
 *     REJECTED   errorCode i32 | fieldId i32 | retryAfterMs i64 | acceptedBefore u8 | detailLength i32 | detail
 *                | scope i32 (v1)
 *     AUDIT      actorLength i32 | actor UTF-8 | actionLength i32 | action UTF-8 | detailLength i32 | detail UTF-8
 *     OUTCOME_UNKNOWN  forwardAttempts i32 | deadlineEpochMs i64 | scope i32   (not terminal: COMPLETED may follow)
 *     BATCH_DECLARED   scope i32 | batchSize i32 | memberDigest 32 bytes   (requestIdHi 0, requestIdLo = batch id)
 * </pre>
 * Fields are only ever appended to a type's body (raising its version), so older readers keep working;
 * a reader skips types it does not know.
 * <p><b>Version 2: sealed.</b> ACCEPTED, COMPLETED and REJECTED entries written with a journal key
 * ({@link JournalKeys}) keep what recovery, the request index and tools need in clear and seal the personal
 * part into one block ({@link EntrySealer}: keyId i32 | iv 12 | sealedLength i32 | ciphertext + tag):
 * <pre>
 *     ACCEPTED   nodeId | connectionId | municipality | priority | deadlineEpochMs | fingerprint | submitLength i32
 *                | clearLength i32 | submit[0, clearLength) | SEALED(submit[clearLength, submitLength))
 *     COMPLETED  status | upstreamCode | duplicate | scope i32 | SEALED(detailLength | detail | payloadLength | payload)
 *     REJECTED   errorCode | fieldId | retryAfterMs | acceptedBefore | scope i32 | SEALED(detailLength | detail)
 * </pre>
 * The Submit's clear prefix is its SBE header and every field before {@code personalNumber} (request id,
 * municipality, operation, priority, attempt, deadline, batch fields); from {@code personalNumber} on (resident
 * code, birth date, names, address, card and application ids, PIN block, and any field a later schema adds)
 * it is sealed. The scope moves before the block so recovery reads it without opening anything. Readers see a
 * sealed entry through {@link SealedEntries#clearView}, rebuilt in the version-1 layout; FORWARDED and AUDIT
 * carry no personal data and stay version 1. Version 1 and 0 entries (written before sealing, or without a
 * key) are read as they are.
 * <p><b>Checksum.</b> Every entry written since checksums came has {@link #CHECKSUMMED} set in its version byte and
 * ends with a CRC32C (little-endian i32) of all its bytes before it ({@link EntryChecksum}); readers ignore those four
 * bytes (no field is read from an entry's end), take the version through {@link #version}, and recovery and
 * {@code journal verify} check the checksum. Entries without the flag are read as they are.
 * <p>A request is keyed by (municipality, request id): ACCEPTED names the municipality in its body; from
 * version 1 the other request entries end with {@code scope}, the municipality code as an int
 * ({@code MunicipalityCodes.parse}), or -1 when none was known (a frame refused before its municipality
 * could be read). Version-0 entries have no scope: readers match them by id alone.
 */
final class JournalCodec
{
    static final byte VERSION = 1;
    /** ACCEPTED, COMPLETED and REJECTED entries whose personal part is sealed (see the class comment). */
    static final byte SEALED_VERSION = 2;
    /**
     * Set in the version byte of an entry that ends with its CRC32C ({@link EntryChecksum}): every entry written since
     * checksums came. Entries without it (older journals) are read as they are. Readers take the version through
     * {@link #version}, which leaves this flag out.
     */
    static final byte CHECKSUMMED = 0x40;
    /** An entry written before ids were scoped (version 0), or about no municipality: match by id alone. */
    static final int NO_SCOPE = RequestIndex.ANY_SCOPE;

    static final int TYPE_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int TIMESTAMP_OFFSET = 2;
    static final int ID_HI_OFFSET = 10;
    static final int ID_LO_OFFSET = 18;
    static final int HEADER_LENGTH = 26;

    static final int ACCEPTED_NODE_ID = HEADER_LENGTH;
    static final int ACCEPTED_CONNECTION_ID = ACCEPTED_NODE_ID + 4;
    static final int ACCEPTED_MUNICIPALITY = ACCEPTED_CONNECTION_ID + 8;
    static final int MUNICIPALITY_LENGTH = 6;
    static final int ACCEPTED_PRIORITY = ACCEPTED_MUNICIPALITY + MUNICIPALITY_LENGTH;
    static final int ACCEPTED_DEADLINE = ACCEPTED_PRIORITY + 1;
    static final int ACCEPTED_FINGERPRINT = ACCEPTED_DEADLINE + 8;
    static final int ACCEPTED_SUBMIT_LENGTH = ACCEPTED_FINGERPRINT + 8;
    static final int ACCEPTED_SUBMIT = ACCEPTED_SUBMIT_LENGTH + 4;

    static final int FORWARDED_ENDPOINT_ID = HEADER_LENGTH;
    static final int FORWARDED_ATTEMPT = FORWARDED_ENDPOINT_ID + 4;
    static final int FORWARDED_POSSIBLE_DUPLICATE = FORWARDED_ATTEMPT + 4;

    static final int COMPLETED_STATUS = HEADER_LENGTH;
    static final int COMPLETED_UPSTREAM_CODE = COMPLETED_STATUS + 1;
    static final int COMPLETED_DUPLICATE = COMPLETED_UPSTREAM_CODE + 4;
    static final int COMPLETED_DETAIL_LENGTH = COMPLETED_DUPLICATE + 1;

    static final int REJECTED_ERROR_CODE = HEADER_LENGTH;
    static final int REJECTED_FIELD_ID = REJECTED_ERROR_CODE + 4;
    static final int REJECTED_RETRY_AFTER = REJECTED_FIELD_ID + 4;
    static final int REJECTED_ACCEPTED_BEFORE = REJECTED_RETRY_AFTER + 8;
    static final int REJECTED_DETAIL_LENGTH = REJECTED_ACCEPTED_BEFORE + 1;

    static final int OUTCOME_UNKNOWN_ATTEMPTS = HEADER_LENGTH;
    static final int OUTCOME_UNKNOWN_DEADLINE = OUTCOME_UNKNOWN_ATTEMPTS + 4;
    static final int OUTCOME_UNKNOWN_SCOPE = OUTCOME_UNKNOWN_DEADLINE + 8;
    static final int BATCH_SCOPE = HEADER_LENGTH;
    static final int BATCH_SIZE = BATCH_SCOPE + 4;
    static final int BATCH_DIGEST = BATCH_SIZE + 4;
    static final int BATCH_DIGEST_LENGTH = 32;
    /** Sealed ACCEPTED: the length of the Submit's clear prefix, at the place of the clear layout's submit bytes. */
    static final int SEALED_ACCEPTED_CLEAR_LENGTH = ACCEPTED_SUBMIT;
    static final int SEALED_ACCEPTED_CLEAR = SEALED_ACCEPTED_CLEAR_LENGTH + 4;
    /** Sealed COMPLETED and REJECTED: the scope where the clear layout's detail begins, then the sealed block. */
    static final int SEALED_COMPLETED_SCOPE = COMPLETED_DETAIL_LENGTH;
    static final int SEALED_REJECTED_SCOPE = REJECTED_DETAIL_LENGTH;

    private JournalCodec()
    {
    }

    static void writeHeader(final Bytes<?> bytes, final JournalEventType type, final long timestampNs,
        final long idHi, final long idLo)
    {
        writeHeader(bytes, type, (byte)(VERSION | CHECKSUMMED), timestampNs, idHi, idLo);
    }

    /** The layout version of the entry at {@code base}, without the {@link #CHECKSUMMED} flag. */
    static int version(final Bytes<?> bytes, final long base)
    {
        return bytes.readByte(base + VERSION_OFFSET) & ~CHECKSUMMED;
    }

    /** Whether the entry at {@code base} ends with its checksum. */
    static boolean checksummed(final Bytes<?> bytes, final long base)
    {
        return (bytes.readByte(base + VERSION_OFFSET) & CHECKSUMMED) != 0;
    }

    static void writeHeader(final Bytes<?> bytes, final JournalEventType type, final byte version, final long timestampNs,
        final long idHi, final long idLo)
    {
        bytes.writeByte(type.code());
        bytes.writeByte(version);
        bytes.writeLong(timestampNs);
        bytes.writeLong(idHi);
        bytes.writeLong(idLo);
    }

    /** Writes length then the bytes, without allocating: arrays are copied in one call, off-heap by longs. */
    static void writeBuffer(final Bytes<?> bytes, final DirectBuffer buffer, final int offset, final int length)
    {
        bytes.writeInt(length);
        if (length == 0)
        {
            return;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            final int arrayOffset = (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET);
            bytes.write(array, arrayOffset + offset, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            bytes.writeLong(buffer.getLong(offset + i, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        for (; i < length; i++)
        {
            bytes.writeByte(buffer.getByte(offset + i));
        }
    }

    static void writeString(final Bytes<?> bytes, final String text)
    {
        final byte[] utf8 = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        bytes.writeInt(utf8.length);
        bytes.write(utf8);
    }

    /** Copies {@code length} bytes at absolute {@code at} into {@code target} from 0; returns length. */
    static int readInto(final Bytes<?> bytes, final long at, final int length, final ExpandableArrayBuffer target)
    {
        target.checkLimit(length);
        bytes.read(at, target.byteArray(), 0, length);
        return length;
    }

    static String readString(final Bytes<?> bytes, final long at, final int length)
    {
        final byte[] utf8 = new byte[length];
        bytes.read(at, utf8, 0, length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static void copyMunicipality(final Bytes<?> bytes, final DirectBuffer source, final int offset)
    {
        bytes.writeInt(source.getInt(offset, java.nio.ByteOrder.LITTLE_ENDIAN));
        bytes.writeShort(source.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * The municipality a request entry belongs to: ACCEPTED's municipality field, the trailing scope of a
     * version-1 FORWARDED, COMPLETED or REJECTED entry, else {@link #NO_SCOPE}.
     */
    static int scopeOf(final Bytes<?> bytes, final long base, final JournalEventType type)
    {
        if (type == JournalEventType.ACCEPTED)
        {
            int value = 0;
            for (int i = 0; i < MUNICIPALITY_LENGTH; i++)
            {
                final int digit = bytes.readByte(base + ACCEPTED_MUNICIPALITY + i) - '0';
                if (digit < 0 || digit > 9)
                {
                    return NO_SCOPE;
                }
                value = value * 10 + digit;
            }
            return value;
        }
        final int version = version(bytes, base);
        if (version < 1)
        {
            return NO_SCOPE;
        }
        if (version >= SEALED_VERSION && type == JournalEventType.COMPLETED)
        {
            return bytes.readInt(base + SEALED_COMPLETED_SCOPE);
        }
        if (version >= SEALED_VERSION && type == JournalEventType.REJECTED)
        {
            return bytes.readInt(base + SEALED_REJECTED_SCOPE);
        }
        final long end;
        switch (type)
        {
            case FORWARDED -> end = base + FORWARDED_POSSIBLE_DUPLICATE + 1;
            case COMPLETED ->
            {
                final long payloadLengthAt = base + COMPLETED_DETAIL_LENGTH + 4 + bytes.readInt(base + COMPLETED_DETAIL_LENGTH);
                end = payloadLengthAt + 4 + bytes.readInt(payloadLengthAt);
            }
            case REJECTED -> end = base + REJECTED_DETAIL_LENGTH + 4 + bytes.readInt(base + REJECTED_DETAIL_LENGTH);
            case OUTCOME_UNKNOWN -> end = base + OUTCOME_UNKNOWN_SCOPE;
            case BATCH_DECLARED ->
            {
                return bytes.readInt(base + BATCH_SCOPE);
            }
            default ->
            {
                return NO_SCOPE;
            }
        }
        return end + 4 <= bytes.readLimit() ? bytes.readInt(end) : NO_SCOPE;
    }

    static void readMunicipality(final Bytes<?> bytes, final long base, final MutableDirectBuffer target)
    {
        for (int i = 0; i < MUNICIPALITY_LENGTH; i++)
        {
            target.putByte(i, bytes.readByte(base + ACCEPTED_MUNICIPALITY + i));
        }
    }
}
