/** Zero-copy reading and writing of Chukei's SBE messages over Netty buffers. */
package io.chukei.protocol.codec;
