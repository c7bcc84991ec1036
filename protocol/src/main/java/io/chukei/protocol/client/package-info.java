/** The Java connector SDK: sessions to relay nodes, pipelined submits, deadlines, heartbeats and resubmission. */
package io.chukei.protocol.client;
