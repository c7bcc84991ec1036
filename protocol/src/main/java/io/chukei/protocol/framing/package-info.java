/** SOFH (Simple Open Framing Header) framing of SBE messages as a Netty decoder/encoder pair. */
package io.chukei.protocol.framing;
