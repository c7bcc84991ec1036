/** JMH benchmark of one request through the relay's own handlers in process, against codec-only baselines. */
package io.chukei.bench.relay;
