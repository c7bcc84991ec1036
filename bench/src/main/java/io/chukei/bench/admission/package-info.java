/** The noisy-neighbour benchmark: normal municipalities' latency with and without one over its rate limit, and interactive work under a batch flood. */
package io.chukei.bench.admission;
