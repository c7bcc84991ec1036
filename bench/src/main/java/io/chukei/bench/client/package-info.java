/** JMH microbenchmarks of the connector SDK's own per-request work, each against a baseline. */
package io.chukei.bench.client;
