/** JMH microbenchmarks of the wire codec: SOFH framing, SBE decoding and encoding, each against a raw-copy baseline. */
package io.chukei.bench.codec;
