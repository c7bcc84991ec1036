/** A local relay cluster in real processes, its faults, steady connector load and the end-of-run consistency check. */
package io.chukei.bench.cluster;
