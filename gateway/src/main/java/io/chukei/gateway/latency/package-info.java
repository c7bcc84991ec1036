/** Per-stage request latency: lock-free HdrHistogram recorders, rotated interval logs, the last minutes in memory. */
package io.chukei.gateway.latency;
