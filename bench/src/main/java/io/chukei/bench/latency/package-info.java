/** What recording per-stage latency costs per request (JMH). */
package io.chukei.bench.latency;
