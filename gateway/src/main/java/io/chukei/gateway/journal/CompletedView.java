package io.chukei.gateway.journal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/** A reusable holder a COMPLETED entry is read into (see {@link Journal#readCompleted}); one per reading thread. */
public final class CompletedView
{
    long index;
    long timestampNs;
    long idHi;
    long idLo;
    byte status;
    int upstreamCode;
    boolean duplicate;
    final ExpandableArrayBuffer detail = new ExpandableArrayBuffer(128);
    int detailLength;
    final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(128);
    int payloadLength;

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

    /** An {@link io.chukei.protocol.sbe.OutcomeStatus} value. */
    public byte status()
    {
        return status;
    }

    public int upstreamCode()
    {
        return upstreamCode;
    }

    public boolean duplicate()
    {
        return duplicate;
    }

    /** UTF-8 detail at offset 0, {@link #detailLength()} bytes. */
    public DirectBuffer detail()
    {
        return detail;
    }

    public int detailLength()
    {
        return detailLength;
    }

    /** Payload at offset 0, {@link #payloadLength()} bytes. */
    public DirectBuffer payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payloadLength;
    }
}
