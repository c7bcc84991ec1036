package io.chukei.gateway.relay;

/** A value that carries its own 128-bit request id, so a {@link RequestIdMap} needs no key object for it. */
public interface HasRequestId
{
    long idHi();

    long idLo();
}
