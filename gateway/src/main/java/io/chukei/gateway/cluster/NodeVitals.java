package io.chukei.gateway.cluster;

/**
 * What a node measures of itself for {@code /cluster/self} and the status page; read at request time
 * (cheap getters: volatile fields and a histogram snapshot).
 */
public interface NodeVitals
{
    int inFlight();

    long oldestUnforwardedMs();

    long eventLoopLagMs();

    /** The journal's durability mode, lower case. */
    String durability();

    /** 99th percentile of recent journal fsyncs in ms; null when there were none (durability not sync). */
    Double fsyncP99Ms();
}
