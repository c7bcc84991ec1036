package io.chukei.gateway.journal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A reusable holder an ACCEPTED entry is read into (see {@link Journal#readAccepted}); one per reading thread. */
public final class AcceptedView
{
    long index;
    long timestampNs;
    long idHi;
    long idLo;
    int nodeId;
    long connectionId;
    final MutableDirectBuffer municipality = new UnsafeBuffer(new byte[JournalCodec.MUNICIPALITY_LENGTH]);
    byte priority;
    long deadlineEpochMs;
    long fingerprint;
    final ExpandableArrayBuffer submit = new ExpandableArrayBuffer(512);
    int submitLength;

    public long index()
    {
        return index;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    public long idHi()
    {
        return idHi;
    }

    public long idLo()
    {
        return idLo;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public long connectionId()
    {
        return connectionId;
    }

    /** Six ASCII bytes at offset 0. */
    public DirectBuffer municipality()
    {
        return municipality;
    }

    public byte priority()
    {
        return priority;
    }

    public long deadlineEpochMs()
    {
        return deadlineEpochMs;
    }

    public long fingerprint()
    {
        return fingerprint;
    }

    /** The Submit exactly as received (SBE header + body) at offset 0, {@link #submitLength()} bytes. */
    public DirectBuffer submit()
    {
        return submit;
    }

    public int submitLength()
    {
        return submitLength;
    }
}
