/** The published test vectors: frames built with the Java codecs, decoded by the schema alone. */
package io.chukei.protocol.vectors;
