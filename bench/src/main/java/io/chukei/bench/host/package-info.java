/** The host's own speed, measured beside a benchmark: so that a run on a slowed machine can be told from a slow target. */
package io.chukei.bench.host;
