/** Peer comparison: a minimal TLS pass-through relay that marks the speed limit Chukei is measured against. */
package io.chukei.bench.compare;
