/** The Java connector SDK: sessions to relay nodes, failover across a cluster, pipelined submits, deadlines, heartbeats and resubmission. */
package io.chukei.protocol.client;
