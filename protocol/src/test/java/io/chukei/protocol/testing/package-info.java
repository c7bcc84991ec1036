/** Test support shared by every module's tests (published as the protocol test jar): buffer-leak checking, reshaped messages. */
package io.chukei.protocol.testing;
