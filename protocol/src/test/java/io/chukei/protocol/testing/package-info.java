/** Test support shared by every module's tests (published as the protocol test jar): buffer-leak checking. */
package io.chukei.protocol.testing;
