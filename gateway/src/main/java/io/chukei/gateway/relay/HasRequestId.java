package io.chukei.gateway.relay;

/**
 * A value that carries its own request key, so a {@link RequestIdMap} needs no key object for it.
 * The key is the 128-bit request id <em>within its scope</em>, the municipality that sent it: two
 * municipalities that use the same id have two unrelated requests (protocol/README.md, <i>Request ids</i>).
 */
public interface HasRequestId
{
    /** The municipality the id is scoped to, as {@code MunicipalityCodes.parse} gives it. */
    int idScope();

    long idHi();

    long idLo();
}
